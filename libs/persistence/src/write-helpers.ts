import type { Model, mongo } from 'mongoose';
import { ConcurrencyConflictError } from '@crm/errors';
import { isDuplicateKeyError } from './mongo-connection';

// Inserts a document cast and completed with defaults as its schema says, through the driver: a mongoose document
// (hydration, validation, middleware) would cost about twice as much CPU, on paths that run per request and message.
export async function insertDocument<T>(model: Model<T>, document: Record<string, unknown>): Promise<void> {
  await model.collection.insertOne(model.applyDefaults(model.castObject(document)) as mongo.OptionalId<mongo.Document>);
}

// Inserts a document unless one with the same unique key exists: the insert-first pattern that stands in for
// transactions. Returns false when the key was taken (by a redelivery, a race, another copy of the service).
export async function insertIfAbsent<T>(model: Model<T>, document: Record<string, unknown>): Promise<boolean> {
  try {
    await insertDocument(model, document);
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

export const lostRace = Symbol('lost race');

// Runs an optimistic read-decide-write until it lands: `attempt` answers `lostRace` when the document changed
// since it was read, and is then run again on fresh state after a short random pause, so racing writers spread out.
export async function retryOnConflict<T>(what: string, attempt: () => Promise<T | typeof lostRace>, maxAttempts = 20): Promise<T> {
  for (let n = 0; n < maxAttempts; n++) {
    const result = await attempt();
    if (result !== lostRace) return result;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * (n + 1))));
  }
  throw new ConcurrencyConflictError(`${what} kept changing concurrently; retry`);
}

// Binary fields read with lean() come back as BSON Binary, not Buffer.
export function bsonBytes(value: Buffer | Uint8Array | { value(): Uint8Array }): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return Buffer.from(value.value());
}

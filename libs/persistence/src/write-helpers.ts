import type { Model, mongo } from 'mongoose';
import { ConcurrencyConflictError } from '@crm/errors';
import { BatchedCollection } from './batched-collection';
import { isDuplicateKeyError } from './mongo-connection';

type StoredDocument = { _id: string } & mongo.Document;
type ModelLike = Pick<Model<unknown>, 'db' | 'collection'>;

const batchedByModel = new WeakMap<ModelLike, BatchedCollection<StoredDocument>>();

// The model's collection, with the single-document commands of one turn sent together (see BatchedCollection):
// one per model, so every caller's commands on it share the batches.
export function batchedCollectionOf<D extends StoredDocument = StoredDocument>(model: ModelLike): BatchedCollection<D> {
  let batched = batchedByModel.get(model);
  if (!batched) {
    batched = new BatchedCollection<StoredDocument>(model.db, model.collection.collectionName);
    batchedByModel.set(model, batched);
  }
  return batched as unknown as BatchedCollection<D>;
}

// Inserts a document cast and completed with defaults as its schema says, through the driver: a mongoose document
// (hydration, validation, middleware) would cost about twice as much CPU, on paths that run per request and message.
// Inserts into one collection in the same turn go out as one command.
export async function insertDocument<T>(model: Model<T>, document: Record<string, unknown>): Promise<void> {
  await batchedCollectionOf(model).insertOne(schemaCastOf(model, document) as StoredDocument);
}

// What the model's schema makes of a document: cast, with its defaults filled in.
export function schemaCastOf<T>(model: Model<T>, document: Record<string, unknown>): Record<string, unknown> {
  return model.applyDefaults(model.castObject(document)) as Record<string, unknown>;
}

// Inserts a document built from typed domain values, with the schema's defaults filled in but not cast: on a
// per-message path, casting (which builds mongoose subdocuments) costs up to a quarter of the service's CPU. Each
// such document's builder has a test that it is stored as its schemaCastOf would be, so a type the domain does not
// give as the schema wants it cannot slip through.
export async function insertPrepared<T>(model: Model<T>, document: Record<string, unknown>): Promise<void> {
  await batchedCollectionOf(model).insertOne(model.applyDefaults(document) as StoredDocument);
}

// The stored document with this `_id` as the driver reads it (what `lean()` gives), or null; reads of one
// collection and projection in the same turn go out as one query.
export function findLeanById<D>(model: ModelLike, id: string, projection?: Record<string, 0 | 1>): Promise<D | null> {
  return batchedCollectionOf(model).findById(id, projection) as Promise<D | null>;
}

// Inserts a document unless one with the same unique key exists: the insert-first pattern that stands in for
// transactions. Returns false when the key was taken (by a redelivery, a race, another copy of the service).
export function insertIfAbsent<T>(model: Model<T>, document: Record<string, unknown>): Promise<boolean> {
  return unlessTaken(insertDocument(model, document));
}

// insertIfAbsent for a document already as its schema would cast it (see insertPrepared).
export function insertPreparedIfAbsent<T>(model: Model<T>, document: Record<string, unknown>): Promise<boolean> {
  return unlessTaken(insertPrepared(model, document));
}

async function unlessTaken(insert: Promise<void>): Promise<boolean> {
  try {
    await insert;
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
  throw new ConcurrencyConflictError('CONCURRENT_UPDATE', `${what} kept changing concurrently; retry`);
}

// Binary fields read with lean() come back as BSON Binary, not Buffer.
export function bsonBytes(value: Buffer | Uint8Array | { value(): Uint8Array }): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return Buffer.from(value.value());
}

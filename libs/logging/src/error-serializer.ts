import pino from 'pino';

// A duplicate-key error quotes the key it collided on, and the keys that collide are contact identities
// ("email:ana@…", "phone:+34…"): personal data, which no log line may carry. The serializer keeps what helps an
// operator (type, code, stack) and drops the key's value from the message and the fields the driver adds.
const quotedKey = /dup key: \{.*\}/gs;

export function errorSerializer(err: unknown): unknown {
  // Some log lines pass only the message: `{ err: err.message }`.
  if (typeof err === 'string') return err.replace(quotedKey, 'dup key: [redacted]');
  const serialized = pino.stdSerializers.err(err as Error) as Record<string, unknown> | undefined;
  if (!serialized || typeof serialized !== 'object') return serialized;
  for (const field of ['keyValue', 'keyPattern', 'errorResponse']) delete serialized[field];
  for (const field of ['message', 'stack', 'errmsg']) {
    if (typeof serialized[field] === 'string') serialized[field] = serialized[field].replace(quotedKey, 'dup key: [redacted]');
  }
  return serialized;
}

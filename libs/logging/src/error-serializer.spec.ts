import { Writable } from 'node:stream';
import pino from 'pino';
import { errorSerializer } from './error-serializer';

class MongoServerError extends Error {}

// A duplicate-key error as the MongoDB driver raises it for a contact identity.
function duplicateKeyError(): Error {
  const err = Object.assign(
    new MongoServerError(
      'E11000 duplicate key error collection: crm.lead_identities index: _id_ dup key: { _id: "email:ana@acme-industries.io" }',
    ),
    {
      code: 11000,
      keyPattern: { _id: 1 },
      keyValue: { _id: 'email:ana@acme-industries.io' },
      errorResponse: { errmsg: 'E11000 ... dup key: { _id: "email:ana@acme-industries.io" }' },
    },
  );
  return err;
}

describe('the error serializer of every log line', () => {
  it('keeps the type, code and stack of a duplicate-key error, not the key it collided on', () => {
    const serialized = errorSerializer(duplicateKeyError()) as Record<string, unknown>;
    expect(serialized).toMatchObject({ type: 'MongoServerError', code: 11000 });
    expect(serialized.message).toBe('E11000 duplicate key error collection: crm.lead_identities index: _id_ dup key: [redacted]');
    expect(JSON.stringify(serialized)).not.toContain('ana@acme-industries.io');
  });

  it('is what a logger writes for `err`', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    pino({ serializers: { err: errorSerializer } }, sink).error({ err: duplicateKeyError() }, 'unexpected');
    expect(lines.join('')).toContain('dup key: [redacted]');
    expect(lines.join('')).not.toContain('ana@acme-industries.io');
  });

  it('also cleans a message passed alone', () => {
    expect(errorSerializer(duplicateKeyError().message)).toBe(
      'E11000 duplicate key error collection: crm.lead_identities index: _id_ dup key: [redacted]',
    );
  });

  it('leaves other errors as pino writes them', () => {
    const plain = errorSerializer(new Error('boom')) as Record<string, unknown>;
    expect(plain).toMatchObject({ type: 'Error', message: 'boom' });
  });
});

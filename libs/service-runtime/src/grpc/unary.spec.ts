import { Metadata, status, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { NotFoundError, ValidationError } from '@crm/errors';
import { createLogger } from '@crm/logging';
import { errorInfoOf } from '../errors/status-details';
import { unary } from './unary';

// Runs a handler that throws, as grpc-js would call it; the error it answered with.
function answer(thrown: Error): Promise<Partial<ServiceError>> {
  const handler = unary(createLogger('test', 'silent'), async () => {
    throw thrown;
  });
  return new Promise((resolve) =>
    handler({ request: {}, metadata: new Metadata(), getPath: () => '/test' } as unknown as ServerUnaryCall<unknown, unknown>, (err) =>
      resolve(err as Partial<ServiceError>),
    ),
  );
}

describe('unary errors', () => {
  it('keeps details short when the message quotes a huge input, without splitting a surrogate pair', async () => {
    const err = await answer(new NotFoundError('LEAD_NOT_FOUND', 'lead', `${'x'.repeat(990)}${'😀'.repeat(100_000)}`));
    expect(err.code).toBe(status.NOT_FOUND);
    expect(err.details!.length).toBeLessThanOrEqual(1_001);
    expect(() => encodeURI(err.details!)).not.toThrow();
  });

  it('sends field violations as printable ASCII metadata', async () => {
    const err = await answer(new ValidationError('REQUEST_INVALID', [{ field: 'tags', rule: 'tag', message: 'tag "ñ\n" is not allowed' }]));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.metadata?.get('field-violation')).toEqual(['tags: tag "??" is not allowed']);
  });

  it('answers UNAVAILABLE when the database cannot be reached, so the caller retries', async () => {
    const unreachable = new Error('connect ECONNREFUSED 127.0.0.1:27017');
    unreachable.name = 'MongoServerSelectionError';
    const err = await answer(unreachable);
    expect(err.code).toBe(status.UNAVAILABLE);
    expect(err.details).not.toContain('27017');
    expect(errorInfoOf(err.metadata)?.reason).toBe('STORE_UNAVAILABLE');
  });
});

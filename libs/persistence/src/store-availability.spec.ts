import { DependencyUnavailableError } from '@crm/errors';
import { isStoreUnavailableError, storeUnavailable } from './store-availability';

function named(name: string, message = 'x'): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

describe('isStoreUnavailableError', () => {
  it('recognises the driver errors of an unreachable database', () => {
    for (const name of [
      'MongoNetworkError',
      'MongoServerSelectionError',
      'MongooseServerSelectionError',
      'MongoNotConnectedError',
      'MongoPoolClearedError',
    ]) {
      expect(isStoreUnavailableError(named(name))).toBe(true);
    }
    expect(isStoreUnavailableError(new Error('Operation `leads.insertOne()` buffering timed out after 10000ms'))).toBe(true);
    // A server error the driver marks as retryable (the server went away mid-operation), whatever its class.
    const retryable = Object.assign(named('MongoServerError', 'interrupted at shutdown'), {
      hasErrorLabel: (label: string) => label === 'RetryableWriteError',
    });
    expect(isStoreUnavailableError(retryable)).toBe(true);
  });

  it('recognises a socket error the driver lets through unwrapped', () => {
    // As the driver threw it when writing to a connection the killed server had closed (seen in the fault suite).
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(isStoreUnavailableError(epipe)).toBe(true);
    expect(isStoreUnavailableError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isStoreUnavailableError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
  });

  it('leaves errors about the operation itself alone', () => {
    expect(isStoreUnavailableError(named('MongoServerError', 'E11000 duplicate key'))).toBe(false);
    expect(isStoreUnavailableError(new Error('boom'))).toBe(false);
    expect(isStoreUnavailableError('MongoNetworkError')).toBe(false);
  });

  it('tells the caller to retry', () => {
    expect(storeUnavailable()).toBeInstanceOf(DependencyUnavailableError);
  });
});

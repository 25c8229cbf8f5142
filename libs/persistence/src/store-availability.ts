import { DependencyUnavailableError } from '@crm/errors';

// Driver and mongoose errors that say the database could not be reached or answered (server down, connection
// lost, no server selectable in time), as opposed to errors about the operation itself.
const unavailableNames = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoServerClosedError',
  'MongoTopologyClosedError',
  'MongoOperationTimeoutError',
  'MongoUnexpectedServerResponseError',
]);

// Socket errors the driver lets through unwrapped, e.g. EPIPE when it writes to a connection the server closed
// (a killed server): the connection was lost, not the operation refused.
const lostConnectionCodes = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

// Labels the driver puts on errors that a retry against a healthy server would not see.
const unavailableLabels = ['ResetPool', 'RetryableWriteError'];

function hasLabel(err: Error): boolean {
  const labelled = err as Error & { hasErrorLabel?: (label: string) => boolean };
  return typeof labelled.hasErrorLabel === 'function' && unavailableLabels.some((label) => labelled.hasErrorLabel!(label));
}

export function isStoreUnavailableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Mongoose queues an operation while disconnected and fails it with a plain Error when the wait runs out.
  const code = (err as NodeJS.ErrnoException).code;
  return (
    unavailableNames.has(err.name) ||
    hasLabel(err) ||
    (typeof code === 'string' && lostConnectionCodes.has(code)) ||
    /buffering timed out/.test(err.message)
  );
}

// What a caller is told when the database cannot be reached: retry shortly (HTTP 503, gRPC UNAVAILABLE).
export function storeUnavailable(): DependencyUnavailableError {
  return new DependencyUnavailableError('STORE_UNAVAILABLE', 'the database cannot be reached right now; retry shortly');
}

import { Metadata, status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { ErasedError, isDomainError, ValidationError, type DomainError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { isStoreUnavailableError, storeUnavailable } from '@crm/persistence';
import { isTracingEnabled, SpanKind, traced, traceparentKey } from '@crm/tracing';
import { grpcStatusOf } from '../errors/error-status';
import { statusDetails, statusDetailsKey } from '../errors/status-details';

// Adapts an async handler to grpc-js, mapping domain errors to their status (the one mapping in @crm/errors).
// Anything unexpected becomes INTERNAL, logged here and not revealed to the caller. Each call is a server span,
// continuing the caller's trace (its traceparent metadata).
export function unary<Req, Res>(logger: Logger, handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    const parent = isTracingEnabled() ? call.metadata.get(traceparentKey)[0] : undefined;
    traced(
      call.getPath().replace(/^\//, ''),
      { kind: SpanKind.SERVER, parent: typeof parent === 'string' ? parent : undefined, attributes: { 'rpc.system': 'grpc' } },
      () => handler(call.request, call),
    ).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toServiceError(err, logger, call.getPath())),
    );
  };
}

// Error messages may quote the caller's input (an unknown id, a bad tag): kept short, as a status travels in an HTTP/2
// trailer and one past the peer's header limit never arrives. The cut never splits a surrogate pair, which grpc-js's
// encodeURI of the details would throw on. A metadata value must be printable ASCII.
const maxDetails = 1_000;
function bounded(text: string): string {
  if (text.length <= maxDetails) return text;
  const end = /[\uD800-\uDBFF]/.test(text[maxDetails - 1]) ? maxDetails - 1 : maxDetails;
  return `${text.slice(0, end)}…`;
}
const asciiOnly = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

// A thrown error as the gRPC status the caller gets: the one mapping of errors to statuses on the gRPC side. Every
// answer carries its reason as a google.rpc.ErrorInfo in the status details; a fault of the service (an invariant
// found broken, or anything unexpected) is logged and tells the caller nothing more than its reason.
export function toServiceError(thrown: unknown, logger: Logger, path: string): Partial<ServiceError> {
  const err = isStoreUnavailableError(thrown) ? storeUnavailable() : thrown;
  if (isDomainError(err) && err.code !== 'INTERNAL') return refusal(err);
  logger.error({ err, path }, 'unhandled error in gRPC handler');
  const reason = isDomainError(err) ? err.reason : 'INTERNAL_ERROR';
  const metadata = new Metadata();
  metadata.set(statusDetailsKey, statusDetails(status.INTERNAL, internalDetails, reason, {}));
  return { code: status.INTERNAL, details: internalDetails, metadata };
}

const internalDetails = 'internal error';

// A domain error as the refusal it stands for; the caller may see all of it.
export function refusal(err: DomainError): Partial<ServiceError> {
  const code = grpcStatusOf(err.code);
  const details = bounded(err.message);
  const metadata = new Metadata();
  if (err instanceof ValidationError) {
    for (const v of err.violations) metadata.add('field-violation', asciiOnly(bounded(`${v.field}: ${v.message}`)));
  }
  if (err instanceof ErasedError) metadata.set('erased-at', err.erasedAt.toISOString());
  metadata.set(statusDetailsKey, statusDetails(code, details, err.reason, err.metadata));
  return { code, details, metadata };
}

import { status as GrpcStatus } from '@grpc/grpc-js';
import { codeOfReason, type DomainErrorCode, type ErrorReason } from '@crm/errors';

// The one mapping from domain error codes to wire statuses, at the edge: the domain's errors know no transport.
// Every reason names its code in @crm/errors' catalogue, so a reason reaches a status only through this table,
// and a code left out of it does not compile.
const statuses: Record<DomainErrorCode, { grpc: GrpcStatus; http: number; title: string }> = {
  INVALID_ARGUMENT: { grpc: GrpcStatus.INVALID_ARGUMENT, http: 400, title: 'Invalid request' },
  NOT_FOUND: { grpc: GrpcStatus.NOT_FOUND, http: 404, title: 'Not found' },
  // gRPC has no "gone": a deleted resource is NOT_FOUND there (the erasure's time travels in `erased-at` metadata).
  GONE: { grpc: GrpcStatus.NOT_FOUND, http: 410, title: 'Gone' },
  ALREADY_EXISTS: { grpc: GrpcStatus.ALREADY_EXISTS, http: 409, title: 'Already exists' },
  FAILED_PRECONDITION: { grpc: GrpcStatus.FAILED_PRECONDITION, http: 409, title: 'Failed precondition' },
  ABORTED: { grpc: GrpcStatus.ABORTED, http: 409, title: 'Conflict, retry' },
  UNAUTHENTICATED: { grpc: GrpcStatus.UNAUTHENTICATED, http: 401, title: 'Unauthenticated' },
  PERMISSION_DENIED: { grpc: GrpcStatus.PERMISSION_DENIED, http: 403, title: 'Forbidden' },
  RESOURCE_EXHAUSTED: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, http: 429, title: 'Too many requests' },
  UNAVAILABLE: { grpc: GrpcStatus.UNAVAILABLE, http: 503, title: 'Service unavailable' },
  UNPROCESSABLE_CONTENT: { grpc: GrpcStatus.INVALID_ARGUMENT, http: 422, title: 'Unprocessable content' },
  // An oversized gRPC message is RESOURCE_EXHAUSTED, as grpc-js answers one itself.
  CONTENT_TOO_LARGE: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, http: 413, title: 'Content too large' },
  UNSUPPORTED_MEDIA_TYPE: { grpc: GrpcStatus.INVALID_ARGUMENT, http: 415, title: 'Unsupported media type' },
  INTERNAL: { grpc: GrpcStatus.INTERNAL, http: 500, title: 'Internal error' },
};

// google.rpc.ErrorInfo's domain: reasons are unique across the system's one catalogue, so one domain names them all.
export const errorDomain = 'crm';

export function grpcStatusOf(code: DomainErrorCode): GrpcStatus {
  return statuses[code].grpc;
}

export function httpStatusOf(code: DomainErrorCode): { status: number; title: string } {
  return { status: statuses[code].http, title: statuses[code].title };
}

export function statusOfReason(reason: ErrorReason): { grpc: GrpcStatus; http: number; title: string } {
  return statuses[codeOfReason(reason)];
}

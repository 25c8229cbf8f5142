import { Metadata, status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { DomainError, ValidationError, grpcStatusOf } from '@crm/errors';
import type { Logger } from '@crm/logging';

// Adapts an async handler to grpc-js, mapping domain errors to their status (the one mapping in @crm/errors).
// Anything unexpected becomes INTERNAL, logged here and not revealed to the caller.
export function unary<Req, Res>(logger: Logger, handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toServiceError(err, logger, call.getPath())),
    );
  };
}

function toServiceError(err: unknown, logger: Logger, path: string): Partial<ServiceError> {
  if (err instanceof DomainError) {
    const metadata = new Metadata();
    if (err instanceof ValidationError) {
      for (const v of err.violations) metadata.add('field-violation', `${v.field}: ${v.message}`);
    }
    return { code: grpcStatusOf(err.code), details: err.message, metadata };
  }
  logger.error({ err, path }, 'unhandled error in gRPC handler');
  return { code: status.INTERNAL, details: 'internal error' };
}

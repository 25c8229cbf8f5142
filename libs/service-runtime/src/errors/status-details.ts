import type { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { Any, ErrorInfo, RpcStatus } from '@crm/contracts';
import type { ErrorReason } from '@crm/errors';
import { errorDomain } from './error-status';

// gRPC's rich error model (Google's API design guide): the trailer carries a google.rpc.Status whose details hold
// an ErrorInfo with the refusal's reason, so a client branches on the reason rather than on the message's text.
export const statusDetailsKey = 'grpc-status-details-bin';
const errorInfoType = 'type.googleapis.com/google.rpc.ErrorInfo';

export function statusDetails(code: GrpcStatus, message: string, reason: ErrorReason, metadata: Readonly<Record<string, string>>): Buffer {
  const info = ErrorInfo.encode({ reason, domain: errorDomain, metadata: { ...metadata } }).finish();
  const details = Any.fromPartial({ typeUrl: errorInfoType, value: Buffer.from(info) });
  return Buffer.from(RpcStatus.encode({ code, message, details: [details] }).finish());
}

// The ErrorInfo of a failed call's trailer, for a client of these services (and their tests); undefined when the
// trailer has none or it does not decode.
export function errorInfoOf(metadata: Metadata | undefined): ErrorInfo | undefined {
  const bytes = metadata?.get(statusDetailsKey)[0];
  if (!Buffer.isBuffer(bytes)) return undefined;
  try {
    const details = RpcStatus.decode(bytes).details.find((any) => any.typeUrl === errorInfoType);
    return details ? ErrorInfo.decode(details.value) : undefined;
  } catch {
    return undefined;
  }
}

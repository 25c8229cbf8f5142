import type { Metadata } from '@grpc/grpc-js';
import type { ErrorReason } from '@crm/errors';
import { errorInfoOf } from '@crm/service-runtime';

// Matches a gRPC error's metadata whose grpc-status-details-bin trailer holds a google.rpc.ErrorInfo of this
// reason, inside toMatchObject: `rejects.toMatchObject({ code, metadata: withReason('STAGE_IN_USE') })`.
export function withReason(reason: ErrorReason) {
  return {
    asymmetricMatch: (metadata: Metadata | undefined) => errorInfoOf(metadata)?.reason === reason,
    toAsymmetricMatcher: () => `metadata whose ErrorInfo has the reason ${reason}`,
  };
}

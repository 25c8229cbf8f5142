import { enumCodec, ErasureReason as ProtoErasureReason } from '@crm/contracts';
import type { ErasureReason } from '../domain/lead';

const reasons = enumCodec<ErasureReason, ProtoErasureReason>({
  'subject-request': ProtoErasureReason.ERASURE_REASON_SUBJECT_REQUEST,
  'retention-expired': ProtoErasureReason.ERASURE_REASON_RETENTION_EXPIRED,
  other: ProtoErasureReason.ERASURE_REASON_OTHER,
});

export const erasureReasonToProto = reasons.toProto;
export const erasureReasonFromProto = reasons.fromProto;

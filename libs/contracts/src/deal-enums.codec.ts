import { ActivityKind, DealStatus } from './generated/crm/v1/deal';
import { StaleFilter } from './generated/crm/v1/deal_service';
import { enumCodec } from './enum-codec';

export const dealStatusCodec = enumCodec(
  { open: DealStatus.DEAL_STATUS_OPEN, won: DealStatus.DEAL_STATUS_WON, lost: DealStatus.DEAL_STATUS_LOST },
  { protoEnum: DealStatus },
);

export const activityKindCodec = enumCodec(
  {
    call: ActivityKind.ACTIVITY_KIND_CALL,
    email: ActivityKind.ACTIVITY_KIND_EMAIL,
    meeting: ActivityKind.ACTIVITY_KIND_MEETING,
    note: ActivityKind.ACTIVITY_KIND_NOTE,
    proposal: ActivityKind.ACTIVITY_KIND_PROPOSAL,
  },
  { protoEnum: ActivityKind },
);

export const staleFilterCodec = enumCodec(
  { stale: StaleFilter.STALE_FILTER_STALE, fresh: StaleFilter.STALE_FILTER_FRESH },
  { protoEnum: StaleFilter },
);

import { DecisionRole, ErasureReason, LeadPriority, LeadStatus } from './generated/crm/v1/lead';
import { LeadSort, TagMatch } from './generated/crm/v1/lead_service';
import { enumCodec } from './enum-codec';

// The one spelling of each value of the lead enums, in every service. Names of several words are kebab-case, as
// every other enum value of the project.
export const leadStatusCodec = enumCodec(
  {
    new: LeadStatus.LEAD_STATUS_NEW,
    qualifying: LeadStatus.LEAD_STATUS_QUALIFYING,
    nurturing: LeadStatus.LEAD_STATUS_NURTURING,
    qualified: LeadStatus.LEAD_STATUS_QUALIFIED,
    disqualified: LeadStatus.LEAD_STATUS_DISQUALIFIED,
    converted: LeadStatus.LEAD_STATUS_CONVERTED,
  },
  { protoEnum: LeadStatus },
);

export const leadPriorityCodec = enumCodec(
  { low: LeadPriority.LEAD_PRIORITY_LOW, medium: LeadPriority.LEAD_PRIORITY_MEDIUM, high: LeadPriority.LEAD_PRIORITY_HIGH },
  { protoEnum: LeadPriority },
);

export const erasureReasonCodec = enumCodec(
  {
    'subject-request': ErasureReason.ERASURE_REASON_SUBJECT_REQUEST,
    'retention-expired': ErasureReason.ERASURE_REASON_RETENTION_EXPIRED,
    other: ErasureReason.ERASURE_REASON_OTHER,
  },
  { protoEnum: ErasureReason },
);

// lead-intake spelled the first role decision_maker until every service shared this table: leads it stored then, and
// callers of its HTTP API written against that spelling, still use it.
export const decisionRoleCodec = enumCodec(
  {
    'decision-maker': DecisionRole.DECISION_ROLE_DECISION_MAKER,
    influencer: DecisionRole.DECISION_ROLE_INFLUENCER,
    user: DecisionRole.DECISION_ROLE_USER,
    other: DecisionRole.DECISION_ROLE_OTHER,
  },
  { protoEnum: DecisionRole, aliases: { decision_maker: 'decision-maker' } },
);

export const tagMatchCodec = enumCodec({ any: TagMatch.TAG_MATCH_ANY, all: TagMatch.TAG_MATCH_ALL }, { protoEnum: TagMatch });

// The order of a listing, named as its sort key: oldest first, or newest first.
export const leadSortCodec = enumCodec(
  { createdAt: LeadSort.LEAD_SORT_CREATED_AT_ASC, '-createdAt': LeadSort.LEAD_SORT_CREATED_AT_DESC },
  { protoEnum: LeadSort },
);

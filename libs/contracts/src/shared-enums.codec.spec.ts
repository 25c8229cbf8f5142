import { activityKindCodec, dealStatusCodec, staleFilterCodec } from './deal-enums.codec';
import { ActivityKind, DealStatus } from './generated/crm/v1/deal';
import { StaleFilter } from './generated/crm/v1/deal_service';
import { DecisionRole, ErasureReason, LeadPriority, LeadStatus } from './generated/crm/v1/lead';
import { LeadSort, TagMatch } from './generated/crm/v1/lead_service';
import { EmailDomainKind, QualificationDecision } from './generated/crm/v1/qualification';
import {
  decisionRoleCodec,
  erasureReasonCodec,
  leadPriorityCodec,
  leadSortCodec,
  leadStatusCodec,
  tagMatchCodec,
} from './lead-enums.codec';
import { emailDomainKindCodec, qualificationDecisionCodec } from './qualification-enums.codec';

// Each generated enum's values but UNSPECIFIED and UNRECOGNIZED.
const valuesOf = (protoEnum: Record<string, string | number>) =>
  Object.values(protoEnum).filter((value): value is number => typeof value === 'number' && value > 0);

describe.each([
  ['LeadStatus', leadStatusCodec, LeadStatus],
  ['LeadPriority', leadPriorityCodec, LeadPriority],
  ['ErasureReason', erasureReasonCodec, ErasureReason],
  ['DecisionRole', decisionRoleCodec, DecisionRole],
  ['TagMatch', tagMatchCodec, TagMatch],
  ['LeadSort', leadSortCodec, LeadSort],
  ['QualificationDecision', qualificationDecisionCodec, QualificationDecision],
  ['EmailDomainKind', emailDomainKindCodec, EmailDomainKind],
  ['DealStatus', dealStatusCodec, DealStatus],
  ['ActivityKind', activityKindCodec, ActivityKind],
  ['StaleFilter', staleFilterCodec, StaleFilter],
] as const)('the %s codec', (_, codec, protoEnum) => {
  const fromProto = codec.fromProto as (value: number) => string | undefined;
  const toProto = codec.toProto as (value: string) => number;

  it('names every value of the enum, once, and maps it back', () => {
    const values = valuesOf(protoEnum);
    const names = values.map(fromProto);
    expect(names).not.toContain(undefined);
    expect(new Set(names).size).toBe(values.length);
    expect(names.map((name) => toProto(name!))).toEqual(values);
  });

  it('joins the words of a name with "-", never "_"', () => {
    for (const name of codec.names) expect(name).toMatch(/^-?[a-z][A-Za-z-]*$/);
  });

  it('knows neither UNSPECIFIED nor UNRECOGNIZED', () => {
    expect(fromProto(0)).toBeUndefined();
    expect(fromProto(-1)).toBeUndefined();
  });
});

describe('decisionRoleCodec', () => {
  it('spells the first role decision-maker and still reads decision_maker', () => {
    expect(decisionRoleCodec.fromProto(DecisionRole.DECISION_ROLE_DECISION_MAKER)).toBe('decision-maker');
    expect(decisionRoleCodec.fromName('decision_maker')).toBe('decision-maker');
    expect(decisionRoleCodec.names).not.toContain('decision_maker');
  });
});

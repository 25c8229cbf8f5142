import {
  decisionRoleCodec as roles,
  emailDomainKindCodec as emailKinds,
  int64ToProto,
  leadPriorityCodec as priorities,
  parseSafeInt64,
  type RuleCondition,
  type RuleSet as ProtoRuleSet,
  type RuleSetRevision as ProtoRuleSetRevision,
} from '@crm/contracts';
import type { Condition, RuleSet } from '../domain/rule-set';
import type { RuleSetRevision } from '../domain/rule-set-revision';

// Lead fields are named as in the Lead message on the wire (job_title) and in camelCase in the domain (jobTitle).
const fieldFromProto = (field: string) => field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const fieldToProto = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// Wire to domain shape only; the domain's schema validates the result, so nothing here refuses anything: an
// unknown enum value keeps a name the schema refuses, rather than passing as a default.
const named = (codec: { fromProto(v: number): string | undefined }) => (value: number) => codec.fromProto(value) ?? `unknown(${value})`;

function conditionFromProto(condition: RuleCondition | undefined): unknown {
  const kind = condition?.kind;
  switch (kind?.$case) {
    case 'emailDomain':
      return { kind: 'email-domain', is: kind.value.kinds.map(named(emailKinds)) };
    case 'fieldPresent':
      return { kind: 'field-present', field: fieldFromProto(kind.value.field) };
    case 'priority':
      return { kind: 'priority', in: kind.value.priorities.map(named(priorities)) };
    case 'source':
      return { kind: 'source', in: kind.value.channels };
    case 'tags':
      return { kind: 'tags', any: kind.value.any, all: kind.value.all };
    case 'interestMatches':
      return { kind: 'interest-matches', pattern: kind.value.pattern };
    case 'budgetAtLeast': {
      const minimum = kind.value.minimum;
      // No amount, or none the domain's numbers hold, reads as NaN: the schema refuses it by name.
      const amountMinor = minimum ? (parseSafeInt64(minimum.amountMinor) ?? Number.NaN) : Number.NaN;
      return { kind: 'budget-at-least', currency: minimum?.currencyCode ?? '', amountMinor };
    }
    case 'timelineWithin':
      return { kind: 'timeline-within', days: kind.value.days };
    case 'decisionRole':
      return { kind: 'decision-role', in: kind.value.roles.map(named(roles)) };
    case 'consentGiven':
      return { kind: 'consent-given' };
    case 'touchpointsAtLeast':
      return { kind: 'touchpoints-at-least', count: kind.value.count };
    default:
      return {};
  }
}

export function ruleSetInputFromProto(ruleSet: ProtoRuleSet | undefined): unknown {
  if (!ruleSet) return undefined;
  return {
    version: ruleSet.version,
    qualifyAt: ruleSet.qualifyAt,
    disqualifyBelow: ruleSet.disqualifyBelow,
    rules: ruleSet.rules.map((rule) => ({
      id: rule.id,
      description: rule.description,
      points: rule.points,
      when: conditionFromProto(rule.when),
    })),
  };
}

function conditionToProto(condition: Condition): RuleCondition {
  switch (condition.kind) {
    case 'email-domain':
      return { kind: { $case: 'emailDomain', value: { kinds: condition.is.map(emailKinds.toProto) } } };
    case 'field-present':
      return { kind: { $case: 'fieldPresent', value: { field: fieldToProto(condition.field) } } };
    case 'priority':
      return { kind: { $case: 'priority', value: { priorities: condition.in.map(priorities.toProto) } } };
    case 'source':
      return { kind: { $case: 'source', value: { channels: condition.in } } };
    case 'tags':
      return { kind: { $case: 'tags', value: { any: condition.any, all: condition.all } } };
    case 'interest-matches':
      return { kind: { $case: 'interestMatches', value: { pattern: condition.pattern } } };
    case 'budget-at-least':
      return {
        kind: {
          $case: 'budgetAtLeast',
          value: { minimum: { currencyCode: condition.currency, amountMinor: int64ToProto(condition.amountMinor) } },
        },
      };
    case 'timeline-within':
      return { kind: { $case: 'timelineWithin', value: { days: condition.days } } };
    case 'decision-role':
      return { kind: { $case: 'decisionRole', value: { roles: condition.in.map(roles.toProto) } } };
    case 'consent-given':
      return { kind: { $case: 'consentGiven', value: {} } };
    case 'touchpoints-at-least':
      return { kind: { $case: 'touchpointsAtLeast', value: { count: condition.count } } };
  }
}

export function ruleSetToProto(ruleSet: RuleSet): ProtoRuleSet {
  return {
    version: ruleSet.version,
    qualifyAt: ruleSet.qualifyAt,
    disqualifyBelow: ruleSet.disqualifyBelow,
    rules: ruleSet.rules.map((rule) => ({
      id: rule.id,
      description: rule.description,
      points: rule.points,
      when: conditionToProto(rule.when),
    })),
  };
}

export function revisionToProto(revision: RuleSetRevision, activeVersion: string): ProtoRuleSetRevision {
  return {
    ruleSet: ruleSetToProto(revision.ruleSet),
    createdBy: revision.createdBy,
    createdAt: revision.createdAt,
    reason: revision.reason,
    active: revision.ruleSet.version === activeVersion,
  };
}

import { qualificationDecisionCodec as decisions, type Qualification as ProtoQualification } from '@crm/contracts';
import type { Qualification } from '../domain/qualification';

const toProtoContribution = (c: Qualification['contributions'][number]) => ({
  ruleId: c.ruleId,
  description: c.description,
  points: c.points,
});

export function toProtoQualification(q: Qualification): ProtoQualification {
  return {
    leadId: q.leadId,
    decision: decisions.toProto(q.decision),
    score: q.score,
    reason: q.reason,
    decidedBy: q.decidedBy,
    decidedAt: q.decidedAt,
    contributions: q.contributions.map(toProtoContribution),
    ruleSetVersion: q.ruleSetVersion,
    history: q.history.map((s) => ({
      score: s.score,
      decision: decisions.toProto(s.decision),
      contributions: s.contributions.map(toProtoContribution),
      ruleSetVersion: s.ruleSetVersion,
      scoredAt: s.scoredAt,
    })),
  };
}

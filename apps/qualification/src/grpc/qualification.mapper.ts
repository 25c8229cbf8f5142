import { enumCodec, QualificationDecision, type Qualification as ProtoQualification } from '@crm/contracts';
import type { Qualification } from '../domain/qualification';
import type { Decision } from '../domain/scoring';

const decisions = enumCodec<Decision, QualificationDecision>({
  qualified: QualificationDecision.QUALIFICATION_DECISION_QUALIFIED,
  nurturing: QualificationDecision.QUALIFICATION_DECISION_NURTURING,
  disqualified: QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED,
});

export const decisionFromProto = decisions.fromProto;

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

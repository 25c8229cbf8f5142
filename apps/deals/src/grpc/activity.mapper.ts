import { activityKindCodec as kinds, type Activity as ProtoActivity, type AddActivityRequest } from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Activity, ActivityInput } from '../domain/activity';
import { moneyFromProto, toProtoMoney } from '../wire/money.mapper';

export function toProtoActivity(dealId: string, activity: Activity): ProtoActivity {
  return {
    id: activity.id,
    dealId,
    kind: kinds.toProto(activity.kind),
    subject: activity.subject,
    notes: activity.notes,
    occurredAt: activity.occurredAt,
    recordedAt: activity.recordedAt,
    actor: activity.actor,
    proposal: activity.proposal
      ? { price: toProtoMoney(activity.proposal.price), terms: activity.proposal.terms, validUntil: activity.proposal.validUntil }
      : undefined,
  };
}

export function activityInputFromProto(req: AddActivityRequest): ActivityInput {
  const kind = kinds.fromProto(req.kind);
  if (!kind)
    throw new ValidationError('ACTIVITY_INVALID', [
      { field: 'kind', rule: 'enum', message: 'must be CALL, EMAIL, MEETING, NOTE or PROPOSAL' },
    ]);
  let proposal: ActivityInput['proposal'] = null;
  if (req.proposal) {
    if (!req.proposal.price)
      throw new ValidationError('ACTIVITY_INVALID', [{ field: 'proposal.price', rule: 'required', message: 'a proposal needs a price' }]);
    proposal = {
      price: moneyFromProto(req.proposal.price, 'proposal.price'),
      terms: req.proposal.terms,
      validUntil: req.proposal.validUntil,
    };
  }
  return { kind, subject: req.subject, notes: req.notes, occurredAt: req.occurredAt, actor: req.actor, proposal };
}

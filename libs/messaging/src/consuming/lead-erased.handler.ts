import { UnprocessableEventError, type ReceivedEvent } from './received-event';

// What a service does when a lead's person is erased, step by step (its own data first, then the messages it keeps);
// every step must be idempotent, as a redelivered lead.erased runs them all again.
export type ErasureStep = (leadId: string, erasedAt: Date) => Promise<unknown>;

export function onLeadErased(...steps: ErasureStep[]) {
  return async (event: ReceivedEvent<'lead.erased'>): Promise<void> => {
    const { leadId, occurredAt } = event.payload;
    if (!leadId) throw new UnprocessableEventError('lead.erased without lead_id');
    for (const step of steps) await step(leadId, occurredAt ?? event.occurredAt);
  };
}

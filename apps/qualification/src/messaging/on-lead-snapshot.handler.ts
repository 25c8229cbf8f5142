import { UnprocessableEventError, type ReceivedEvent } from '@crm/messaging';
import type { LeadScoring } from '../application/lead-scoring';
import { leadSnapshotFrom } from './lead-snapshot.mapper';

// Scores the lead that lead.captured or lead.updated carries: both are a snapshot of the lead, and both are handled
// alike, so the order they arrive in does not matter. A redelivery, or an update overtaken by a later one, carries
// a snapshot no newer than the stored one and changes nothing; an update for a lead never captured is scored as
// its capture.
// `sinceCapture` is told, in seconds, how long after its capture a lead got its first decision.
export function onLeadSnapshot(scoring: LeadScoring, sinceCapture: (seconds: number) => void = () => undefined) {
  return async (event: ReceivedEvent<'lead.captured'> | ReceivedEvent<'lead.updated'>): Promise<void> => {
    const lead = event.payload.lead;
    if (!lead?.id) throw new UnprocessableEventError(`${event.type} without a lead id`);
    const { facts, encoded } = leadSnapshotFrom(lead, event.payload.occurredAt ?? event.occurredAt);
    const outcome = await scoring.score(facts, encoded);
    if (outcome === 'first-decision' && lead.createdAt) sinceCapture(Math.max(0, (Date.now() - lead.createdAt.getTime()) / 1000));
  };
}

// One lead's way through the funnel, as reporting learns it from events. Events may come twice or out of order:
// first times keep the earliest value, decisions and outcomes the latest, so any order gives the same journey.
export interface LeadJourney {
  leadId: string;
  source: string;
  capturedAt: Date | null;
  decision: 'qualified' | 'disqualified' | null;
  decisionAt: Date | null;
  dealId: string;
  dealOpenedAt: Date | null;
  outcome: 'won' | 'lost' | null;
  outcomeAt: Date | null;
}

export type FunnelEvent =
  | { kind: 'captured'; leadId: string; source: string; at: Date }
  | { kind: 'decided'; leadId: string; decision: 'qualified' | 'disqualified'; source: string; at: Date }
  | { kind: 'deal-opened'; leadId: string; dealId: string; source: string; at: Date }
  | { kind: 'deal-closed'; leadId: string; outcome: 'won' | 'lost'; at: Date };

export function emptyJourney(leadId: string): LeadJourney {
  return {
    leadId,
    source: '',
    capturedAt: null,
    decision: null,
    decisionAt: null,
    dealId: '',
    dealOpenedAt: null,
    outcome: null,
    outcomeAt: null,
  };
}

const earliest = (current: Date | null, candidate: Date) => (current && current <= candidate ? current : candidate);
const isNewer = (current: Date | null, candidate: Date) => current === null || candidate > current;

// Returns the journey after the event, or undefined when the event changes nothing (a duplicate or a stale one).
export function applyFunnelEvent(journey: LeadJourney, event: FunnelEvent): LeadJourney | undefined {
  const next = { ...journey };
  switch (event.kind) {
    case 'captured':
      next.source = event.source || next.source;
      next.capturedAt = earliest(next.capturedAt, event.at);
      break;
    case 'decided':
      next.source ||= event.source;
      if (isNewer(next.decisionAt, event.at)) {
        next.decision = event.decision;
        next.decisionAt = event.at;
      }
      break;
    case 'deal-opened':
      next.source ||= event.source;
      next.dealId ||= event.dealId;
      next.dealOpenedAt = earliest(next.dealOpenedAt, event.at);
      break;
    case 'deal-closed':
      if (isNewer(next.outcomeAt, event.at)) {
        next.outcome = event.outcome;
        next.outcomeAt = event.at;
      }
      break;
  }
  return JSON.stringify(next) === JSON.stringify(journey) ? undefined : next;
}

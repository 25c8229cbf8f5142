import { applyDealSnapshot, emptyDealView, type DealSnapshot, type DealView } from './deal-view';

// One lead's way through the funnel, as reporting learns it from events. Events may come twice or out of order:
// first times keep the earliest value, decisions the latest, and the outcome follows the deal's newest status (highest
// deal version, then latest event time, as the deal view orders snapshots), so any order gives the same journey.
export interface LeadJourney {
  leadId: string;
  source: string;
  capturedAt: Date | null;
  decision: 'qualified' | 'disqualified' | null;
  decisionAt: Date | null;
  dealId: string;
  dealOpenedAt: Date | null;
  // null while the deal is open, again after a won or lost deal is reopened.
  outcome: 'won' | 'lost' | null;
  // When the deal took its current status (closed or reopened), and the deal version that status comes from.
  outcomeAt: Date | null;
  outcomeVersion: number;
  // What the lead's figures need of its deal (its value as won or lost, its dates and stage visits), ordered as the
  // deal view orders snapshots; absent until a snapshot of the deal arrives.
  deal?: JourneyDeal;
}

export type JourneyDeal = Pick<
  DealView,
  | 'dealId'
  | 'pipelineId'
  | 'status'
  | 'currency'
  | 'amountMinor'
  | 'lostReason'
  | 'source'
  | 'stageVisits'
  | 'openedAt'
  | 'closedAt'
  | 'dealVersion'
  | 'snapshotAt'
>;

export type FunnelEvent =
  | { kind: 'captured'; leadId: string; source: string; at: Date }
  | { kind: 'decided'; leadId: string; decision: 'qualified' | 'disqualified'; source: string; at: Date }
  | { kind: 'deal-opened'; leadId: string; dealId: string; source: string; at: Date }
  | { kind: 'deal-status'; leadId: string; outcome: 'won' | 'lost' | null; dealVersion: number; at: Date };

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
    outcomeVersion: 0,
  };
}

const earliest = (current: Date | null, candidate: Date) => (current && current <= candidate ? current : candidate);
const isNewer = (current: Date | null, candidate: Date) => current === null || candidate > current;
const isNewerStatus = (journey: LeadJourney, version: number, at: Date) =>
  version !== journey.outcomeVersion ? version > journey.outcomeVersion : isNewer(journey.outcomeAt, at);

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
    case 'deal-status':
      if (isNewerStatus(next, event.dealVersion, event.at)) {
        next.outcome = event.outcome;
        next.outcomeAt = event.at;
        next.outcomeVersion = event.dealVersion;
      }
      break;
  }
  return JSON.stringify(next) === JSON.stringify(journey) ? undefined : next;
}

// Returns the journey after its deal's snapshot, or undefined when the snapshot is not newer than the one it holds
// (a lead has one deal: deals opens at most one per qualified lead).
export function applyDealToJourney(journey: LeadJourney, snapshot: DealSnapshot): LeadJourney | undefined {
  const view = applyDealSnapshot({ ...emptyDealView(snapshot.dealId), ...journey.deal }, snapshot);
  if (!view) return undefined;
  const { dealId, pipelineId, status, currency, amountMinor, lostReason, source, stageVisits, openedAt, closedAt } = view;
  const deal = { dealId, pipelineId, status, currency, amountMinor, lostReason, source, stageVisits, openedAt, closedAt };
  return { ...journey, deal: { ...deal, dealVersion: view.dealVersion, snapshotAt: view.snapshotAt } };
}

// Whether any funnel event of the lead has been seen: a journey made only of its deal's snapshots is not one yet.
export const journeySeen = (journey: LeadJourney): boolean =>
  journey.capturedAt !== null || journey.decisionAt !== null || journey.dealOpenedAt !== null || journey.outcomeAt !== null;

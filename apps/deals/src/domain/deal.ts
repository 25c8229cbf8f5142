import type { Money } from './money';

export type DealStatus = 'open' | 'won' | 'lost';

export interface StageVisit {
  stage: string;
  enteredAt: Date;
  exitedAt: Date | null;
  // Set when the visit ended by closing the deal rather than by a move.
  closedAs: 'won' | 'lost' | null;
  // Who moved the deal into this stage (the opener for the first visit).
  enteredBy: string;
}

// A deal (negocio): the sale opened for a qualified lead, followed through its pipeline to won or lost.
export interface Deal {
  id: string;
  leadId: string;
  title: string;
  value: Money;
  // True when no value could be derived at opening: someone has to estimate it.
  valueNeedsEstimate: boolean;
  pipelineId: string;
  stage: string;
  status: DealStatus;
  // ISO date (YYYY-MM-DD): the "plazo".
  expectedCloseDate: string;
  owner: string;
  ownerReason: string;
  sourceChannel: string;
  stageHistory: StageVisit[];
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  // Who won or lost it; empty while open.
  closedBy: string;
  lostReason: string;
  lostNote: string;
  lastActivityAt: Date | null;
  // Since when nothing happened to the deal: the latest of its last activity, stage entry or reopening. Rotting
  // is measured from here.
  idleSince: Date;
  activityCount: number;
  // The UTF-8 size its activities count for against the per-deal budget (see activity.ts).
  activityBytes: number;
  // When the lead's person was erased; null before.
  erasedAt: Date | null;
  version: number;
}

import type { Money } from './money';

export type DealStatus = 'open' | 'won' | 'lost';

export interface StageVisit {
  stage: string;
  enteredAt: Date;
  exitedAt: Date | null;
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
  sourceChannel: string;
  stageHistory: StageVisit[];
  openedAt: Date;
  closedAt: Date | null;
  lostReason: string;
  version: number;
}

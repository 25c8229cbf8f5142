import type { DealView } from './deal-view';
import { addFigures, addTally, figureKey, type BucketFigures, type Figures } from './figures';
import { journeySeen, type LeadJourney } from './lead-journey';

// The leads of one UTC capture day ('' for a lead whose capture has not been seen yet), one lead source and one
// deal source. The deal's source is part of the key because two reports read it: lost reasons filter on it, and
// source performance credits a deal's value to it when the lead's source is not known.
export interface CohortBucket {
  day: string;
  source: string;
  dealSource: string;
}

export const cohortBucketId = ({ day, source, dealSource }: CohortBucket): string => JSON.stringify([day, source, dealSource]);

// The whole date part, also of a year beyond four digits, so the bucket's day is exact for any instant.
export const captureDayOf = (capturedAt: Date | null): string => (capturedAt ? dayNameOf(capturedAt) : '');

export function dayNameOf(instant: Date): string {
  const iso = instant.toISOString();
  return iso.slice(0, iso.indexOf('T'));
}

// The source a closed deal's value counts for in source performance: the lead's, else the deal's own.
export const valueSourceOf = ({ source, dealSource }: CohortBucket): string => source || dealSource;

// How many leads reached each step of the funnel, one tally per step; `leads` counts the journeys themselves, so a
// source is listed even when none of its leads reached a step.
export function journeyCounts(journey: LeadJourney): Figures {
  const figures: Figures = new Map();
  const count = (name: string, reached: boolean) => reached && addTally(figures, figureKey(name), 1);
  count('leads', journeySeen(journey));
  count('leadsCaptured', journey.capturedAt !== null);
  count('leadsQualified', journey.decision === 'qualified');
  count('leadsDisqualified', journey.decision === 'disqualified');
  count('dealsOpened', journey.dealOpenedAt !== null);
  count('dealsWon', journey.outcome === 'won');
  count('dealsLost', journey.outcome === 'lost');
  return figures;
}

// A won or lost deal's value, per status, currency and (for a lost one) reason; an open deal has none.
export function closedDealFigures(deal: Pick<DealView, 'status' | 'currency' | 'amountMinor' | 'lostReason'>): Figures {
  const figures: Figures = new Map();
  if (deal.status !== 'open') {
    const reason = deal.status === 'lost' ? deal.lostReason : '';
    addTally(figures, figureKey('closed', deal.status, deal.currency, reason), 1, BigInt(deal.amountMinor));
  }
  return figures;
}

// One lead's whole share of the cohort figures: a pure function of its journey, so the store can keep the figures
// by adding what a change of the journey adds and removing what it removes.
export function cohortContribution(journey: LeadJourney): BucketFigures<CohortBucket> {
  const figures = journeyCounts(journey);
  if (journey.deal) addFigures(figures, closedDealFigures(journey.deal));
  return { bucket: { day: captureDayOf(journey.capturedAt), source: journey.source, dealSource: journey.deal?.source ?? '' }, figures };
}

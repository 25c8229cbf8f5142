import { loseDeal, moveStage } from './deal-lifecycle';
import { isStale, staleAt } from './staleness';
import { openedDeal, salesPipeline } from './test-fixtures';

const day = 24 * 60 * 60 * 1000;
const start = new Date('2026-03-01T09:00:00Z');
const after = (days: number, ms = 0) => new Date(start.getTime() + days * day + ms);

describe('rotting deals', () => {
  it('goes stale only after the days its stage allows without activity (7 in Calificado)', () => {
    const deal = openedDeal(start);
    expect(staleAt(deal, salesPipeline)).toEqual(after(7));
    expect(isStale(deal, salesPipeline, after(7))).toBe(false);
    expect(isStale(deal, salesPipeline, after(7, 1))).toBe(true);
  });

  it('counts from the latest stage change, with the new stage threshold (14 in Propuesta enviada)', () => {
    const moved = moveStage(openedDeal(start), salesPipeline, 'proposal_sent', after(6), 'ana');
    expect(isStale(moved, salesPipeline, after(13))).toBe(false);
    expect(staleAt(moved, salesPipeline)).toEqual(after(20));
  });

  it('counts from the latest activity', () => {
    const active = { ...openedDeal(start), idleSince: after(5), lastActivityAt: after(5) };
    expect(isStale(active, salesPipeline, after(10))).toBe(false);
  });

  it('never flags a closed deal or a stage that does not rot', () => {
    const lost = loseDeal(openedDeal(start), 'price', '', ['price'], after(1), 'ana');
    expect(isStale(lost, salesPipeline, after(100))).toBe(false);
    const noRot = { ...salesPipeline, stages: salesPipeline.stages.map((s) => ({ ...s, rottingDays: 0 })) };
    expect(staleAt(openedDeal(start), noRot)).toBeNull();
    expect(isStale(openedDeal(start), noRot, after(1000))).toBe(false);
  });
});

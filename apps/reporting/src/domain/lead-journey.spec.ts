import { applyFunnelEvent, emptyJourney, type FunnelEvent, type LeadJourney } from './lead-journey';

const t = (minute: number) => new Date(Date.UTC(2026, 10, 28, 10, minute));

const events: FunnelEvent[] = [
  { kind: 'captured', leadId: 'l1', source: 'web-form', at: t(0) },
  { kind: 'decided', leadId: 'l1', decision: 'qualified', source: 'web-form', at: t(1) },
  { kind: 'deal-opened', leadId: 'l1', dealId: 'd1', source: 'web-form', at: t(2) },
  { kind: 'deal-status', leadId: 'l1', outcome: 'won', dealVersion: 3, at: t(9) },
];

function replay(list: FunnelEvent[]): LeadJourney {
  return list.reduce((journey, event) => applyFunnelEvent(journey, event) ?? journey, emptyJourney('l1'));
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('lead journey projection', () => {
  it('follows a lead from capture to a won deal', () => {
    expect(replay(events)).toEqual({
      leadId: 'l1',
      source: 'web-form',
      capturedAt: t(0),
      decision: 'qualified',
      decisionAt: t(1),
      dealId: 'd1',
      dealOpenedAt: t(2),
      outcome: 'won',
      outcomeAt: t(9),
      outcomeVersion: 3,
    });
  });

  it('gives the same journey whatever order the events arrive in', () => {
    const expected = replay(events);
    for (const order of permutations(events)) expect(replay(order)).toEqual(expected);
  });

  it('changes nothing on a duplicate', () => {
    const journey = replay(events);
    for (const event of events) expect(applyFunnelEvent(journey, event)).toBeUndefined();
  });

  it('keeps the latest decision, so a person overruling the machine wins even if it arrives first', () => {
    const machine: FunnelEvent = { kind: 'decided', leadId: 'l1', decision: 'disqualified', source: '', at: t(1) };
    const person: FunnelEvent = { kind: 'decided', leadId: 'l1', decision: 'qualified', source: '', at: t(5) };
    expect(replay([person, machine]).decision).toBe('qualified');
    expect(replay([machine, person]).decision).toBe('qualified');
  });

  describe('a reopened deal', () => {
    const lost: FunnelEvent = { kind: 'deal-status', leadId: 'l1', outcome: 'lost', dealVersion: 3, at: t(20) };
    const reopened: FunnelEvent = { kind: 'deal-status', leadId: 'l1', outcome: null, dealVersion: 4, at: t(30) };
    const wonAfterwards: FunnelEvent = { kind: 'deal-status', leadId: 'l1', outcome: 'won', dealVersion: 6, at: t(40) };
    const opening = events.slice(0, 3);

    it('is open again whatever order the loss and the reopening arrive in, duplicates included', () => {
      for (const order of permutations([...opening, lost, reopened])) {
        expect(replay(order)).toMatchObject({ outcome: null, outcomeAt: t(30), outcomeVersion: 4 });
        expect(replay([...order, ...order.slice().reverse()])).toEqual(replay(order));
      }
    });

    it('takes the outcome of the deal version closed last, in every order', () => {
      const expected = replay([...opening, lost, reopened, wonAfterwards]);
      expect(expected).toMatchObject({ outcome: 'won', outcomeAt: t(40), outcomeVersion: 6 });
      for (const order of permutations([...opening, lost, reopened, wonAfterwards])) expect(replay(order)).toEqual(expected);
    });

    it('lets a higher deal version win even when its event time is earlier (clock skew between copies of deals)', () => {
      const skewedReopen: FunnelEvent = { ...reopened, at: t(10) };
      expect(replay([lost, skewedReopen]).outcome).toBeNull();
      expect(replay([skewedReopen, lost]).outcome).toBeNull();
    });

    it('changes nothing when the older loss arrives again after the reopening', () => {
      const journey = replay([...opening, lost, reopened]);
      expect(applyFunnelEvent(journey, lost)).toBeUndefined();
      expect(applyFunnelEvent(journey, reopened)).toBeUndefined();
    });
  });
});

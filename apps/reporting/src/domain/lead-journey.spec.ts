import { applyFunnelEvent, emptyJourney, type FunnelEvent, type LeadJourney } from './lead-journey';

const t = (minute: number) => new Date(Date.UTC(2026, 10, 28, 10, minute));

const events: FunnelEvent[] = [
  { kind: 'captured', leadId: 'l1', source: 'web-form', at: t(0) },
  { kind: 'decided', leadId: 'l1', decision: 'qualified', source: 'web-form', at: t(1) },
  { kind: 'deal-opened', leadId: 'l1', dealId: 'd1', source: 'web-form', at: t(2) },
  { kind: 'deal-closed', leadId: 'l1', outcome: 'won', at: t(9) },
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
});

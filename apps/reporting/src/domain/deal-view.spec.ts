import { applyDealSnapshot, emptyDealView, type DealSnapshot, type DealView } from './deal-view';

const t = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute));

function snapshot(version: number, at: Date, changes: Partial<DealSnapshot> = {}): DealSnapshot {
  return {
    dealId: 'd1',
    leadId: 'l1',
    pipelineId: 'sales',
    stage: 'qualified',
    status: 'open',
    currency: 'EUR',
    amountMinor: '1000000',
    probability: 10,
    source: 'web-form',
    stageVisits: [{ stage: 'qualified', enteredAt: t(0), exitedAt: null }],
    lostReason: '',
    openedAt: t(0),
    closedAt: null,
    dealVersion: version,
    at,
    ...changes,
  };
}

// Opened, moved twice, then lost: the life of one deal as its four events tell it.
const life: DealSnapshot[] = [
  snapshot(1, t(0)),
  snapshot(2, t(10), {
    stage: 'contacted',
    probability: 20,
    stageVisits: [
      { stage: 'qualified', enteredAt: t(0), exitedAt: t(10) },
      { stage: 'contacted', enteredAt: t(10), exitedAt: null },
    ],
  }),
  snapshot(3, t(20), {
    stage: 'proposal_sent',
    probability: 50,
    stageVisits: [
      { stage: 'qualified', enteredAt: t(0), exitedAt: t(10) },
      { stage: 'contacted', enteredAt: t(10), exitedAt: t(20) },
      { stage: 'proposal_sent', enteredAt: t(20), exitedAt: null },
    ],
  }),
  snapshot(4, t(30), {
    stage: 'proposal_sent',
    status: 'lost',
    probability: 0,
    lostReason: 'price',
    closedAt: t(30),
    stageVisits: [
      { stage: 'qualified', enteredAt: t(0), exitedAt: t(10) },
      { stage: 'contacted', enteredAt: t(10), exitedAt: t(20) },
      { stage: 'proposal_sent', enteredAt: t(20), exitedAt: t(30) },
    ],
  }),
];

const replay = (list: DealSnapshot[]): DealView => list.reduce((view, s) => applyDealSnapshot(view, s) ?? view, emptyDealView('d1'));

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('deal view projection', () => {
  it('holds the newest snapshot, with the time of the event that carried it', () => {
    const { at, ...last } = life[3];
    expect(replay(life)).toEqual({ ...last, snapshotAt: at });
  });

  it('gives the same view whatever order the snapshots arrive in', () => {
    const expected = replay(life);
    for (const order of permutations(life)) expect(replay(order)).toEqual(expected);
  });

  it('changes nothing on a duplicate or on an older snapshot', () => {
    const view = replay(life);
    for (const s of life) expect(applyDealSnapshot(view, s)).toBeUndefined();
    expect(replay([...life, ...life].reverse())).toEqual(view);
  });

  it('orders snapshots of the same version by event time', () => {
    const early = snapshot(2, t(5), { stage: 'contacted' });
    const late = snapshot(2, t(6), { stage: 'negotiation' });
    expect(replay([late, early]).stage).toBe('negotiation');
    expect(replay([early, late]).stage).toBe('negotiation');
  });

  it('lets a higher version win even when its event time is earlier (clock skew between copies of deals)', () => {
    const v3 = snapshot(3, t(1), { stage: 'negotiation' });
    const v2 = snapshot(2, t(9), { stage: 'contacted' });
    expect(replay([v3, v2]).stage).toBe('negotiation');
    expect(replay([v2, v3]).stage).toBe('negotiation');
  });
});

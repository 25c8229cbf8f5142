// One deal as reporting knows it, from the whole-deal snapshot every deal event carries. Snapshots may come twice
// or out of order: the newest one (highest deal version, then latest event time) wins, so any order converges.
export type DealStatus = 'open' | 'won' | 'lost';

export interface StageVisit {
  stage: string;
  enteredAt: Date;
  exitedAt: Date | null;
}

export interface DealView {
  dealId: string;
  leadId: string;
  pipelineId: string;
  stage: string;
  status: DealStatus;
  currency: string;
  // Minor units as a decimal string: int64 does not fit a JavaScript number.
  amountMinor: string;
  // Win probability of the current stage, 0 to 100.
  probability: number;
  source: string;
  stageVisits: StageVisit[];
  lostReason: string;
  openedAt: Date | null;
  closedAt: Date | null;
  // The deal's own version and the time of the event that carried this snapshot: together they order snapshots.
  dealVersion: number;
  snapshotAt: Date | null;
}

export type DealSnapshot = Omit<DealView, 'snapshotAt'> & { at: Date };

export function emptyDealView(dealId: string): DealView {
  return {
    dealId,
    leadId: '',
    pipelineId: '',
    stage: '',
    status: 'open',
    currency: '',
    amountMinor: '0',
    probability: 0,
    source: '',
    stageVisits: [],
    lostReason: '',
    openedAt: null,
    closedAt: null,
    dealVersion: 0,
    snapshotAt: null,
  };
}

function isNewer(view: DealView, snapshot: DealSnapshot): boolean {
  if (view.snapshotAt === null) return true;
  if (snapshot.dealVersion !== view.dealVersion) return snapshot.dealVersion > view.dealVersion;
  return snapshot.at > view.snapshotAt;
}

// Returns the view after the snapshot, or undefined when it changes nothing (a duplicate or an older snapshot).
export function applyDealSnapshot(view: DealView, snapshot: DealSnapshot): DealView | undefined {
  if (!isNewer(view, snapshot)) return undefined;
  const { at, ...state } = snapshot;
  return { ...state, dealId: view.dealId, snapshotAt: at };
}

import { Deal, DealLost, DealOpened, DealStageChanged, DealStatus, DealWon, StageVisit } from '@crm/contracts';
import type { ContractEvent } from './funnel-events';

// Probabilities of the default sales pipeline of the deals service.
export const salesStages: Record<string, number> = { qualified: 10, contacted: 20, proposal_sent: 50, negotiation: 75 };

// The deal events one deal causes, each carrying the whole deal as the deals service publishes it: opened in
// the first stage, moved, then won or lost (or still open), perhaps reopened.
export class DealStory {
  readonly events: ContractEvent[] = [];
  private deal: Deal;

  constructor(leadId: string, source: string, opened: Date, amountMinor: string, currency = 'EUR') {
    this.deal = Deal.fromPartial({
      id: `deal-of-${leadId}`,
      leadId,
      title: `${leadId} - CRM`,
      value: { currencyCode: currency, amountMinor },
      pipelineId: 'sales',
      stage: 'qualified',
      status: DealStatus.DEAL_STATUS_OPEN,
      sourceChannel: source,
      stageProbability: salesStages.qualified,
      stageHistory: [{ stage: 'qualified', enteredAt: opened }],
      openedAt: opened,
      version: '1',
    });
    this.events.push({ type: 'deal.opened', payload: DealOpened.fromPartial({ occurredAt: opened, deal: this.deal }) });
  }

  move(stage: string, at: Date): this {
    const fromStage = this.deal.stage;
    this.change({
      stage,
      stageProbability: salesStages[stage],
      stageHistory: [...this.closeVisit(at), StageVisit.fromPartial({ stage, enteredAt: at })],
    });
    this.events.push({
      type: 'deal.stage_changed',
      payload: DealStageChanged.fromPartial({ occurredAt: at, deal: this.deal, fromStage, toStage: stage }),
    });
    return this;
  }

  win(at: Date, finalAmountMinor?: string): this {
    const value = finalAmountMinor
      ? { currencyCode: this.deal.value?.currencyCode ?? 'EUR', amountMinor: finalAmountMinor }
      : this.deal.value;
    this.change({ status: DealStatus.DEAL_STATUS_WON, stageProbability: 100, value, closedAt: at, stageHistory: this.closeVisit(at) });
    this.events.push({ type: 'deal.won', payload: DealWon.fromPartial({ occurredAt: at, deal: this.deal }) });
    return this;
  }

  lose(at: Date, reason: string): this {
    this.change({
      status: DealStatus.DEAL_STATUS_LOST,
      stageProbability: 0,
      lostReason: reason,
      closedAt: at,
      stageHistory: this.closeVisit(at),
    });
    this.events.push({ type: 'deal.lost', payload: DealLost.fromPartial({ occurredAt: at, deal: this.deal }) });
    return this;
  }

  // Reopens a won or lost deal into the stage it was closed in: deals publishes it as a stage change with `reopened`.
  reopen(at: Date): this {
    const stage = this.deal.stage;
    this.change({
      status: DealStatus.DEAL_STATUS_OPEN,
      stageProbability: salesStages[stage],
      lostReason: '',
      closedAt: undefined,
      stageHistory: [...this.deal.stageHistory, StageVisit.fromPartial({ stage, enteredAt: at })],
    });
    this.events.push({
      type: 'deal.stage_changed',
      payload: DealStageChanged.fromPartial({ occurredAt: at, deal: this.deal, fromStage: stage, toStage: stage, reopened: true }),
    });
    return this;
  }

  private closeVisit(at: Date): StageVisit[] {
    return this.deal.stageHistory.map((visit) => (visit.exitedAt ? visit : { ...visit, exitedAt: at }));
  }

  private change(changes: Partial<Deal>): void {
    this.deal = { ...this.deal, ...changes, version: String(Number(this.deal.version) + 1) };
  }
}

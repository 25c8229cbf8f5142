import type { Deal } from './deal';
import { money } from './money';
import type { Pipeline } from './pipeline';

// What deals needs of a qualified lead (from the lead.qualified event; no call back to lead-intake).
export interface QualifiedLead {
  leadId: string;
  name: string;
  company: string;
  interest: string;
  sourceChannel: string;
}

export interface OpeningPolicy {
  pipeline: Pipeline;
  currency: string;
  // Value by interest (lower-case), in minor units; used when the lead gives no budget.
  valueByInterest: Record<string, bigint>;
  owners: string[];
}

export function dealTitle(lead: QualifiedLead): string {
  const who = lead.company || lead.name || 'Lead';
  return lead.interest ? `${who} - ${lead.interest}` : who;
}

export function addDays(date: Date, days: number): string {
  const result = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
  return result.toISOString().slice(0, 10);
}

// Round-robin over the configured owners, keyed on the deal's sequence so copies of the service agree.
export function ownerFor(owners: string[], sequence: number): string {
  return owners.length === 0 ? '' : owners[sequence % owners.length];
}

// The deal opened for a qualified lead: first stage of the pipeline, value from the interest's default (else zero,
// flagged for estimation), expected close after the pipeline's typical cycle.
export function openDeal(id: string, lead: QualifiedLead, policy: OpeningPolicy, now: Date, sequence: number): Deal {
  const firstStage = policy.pipeline.stages[0];
  const defaultValue = policy.valueByInterest[lead.interest.trim().toLowerCase()];
  return {
    id,
    leadId: lead.leadId,
    title: dealTitle(lead),
    value: money(policy.currency, defaultValue ?? 0n),
    valueNeedsEstimate: defaultValue === undefined,
    pipelineId: policy.pipeline.id,
    stage: firstStage.id,
    status: 'open',
    expectedCloseDate: addDays(now, policy.pipeline.cycleDays),
    owner: ownerFor(policy.owners, sequence),
    sourceChannel: lead.sourceChannel,
    stageHistory: [{ stage: firstStage.id, enteredAt: now, exitedAt: null }],
    openedAt: now,
    closedAt: null,
    lostReason: '',
    version: 1,
  };
}

import { addDays } from './calendar-date';
import type { Deal } from './deal';
import { initialValue, type ValuePolicy } from './deal-value';
import type { Money } from './money';
import type { PipelineDefinition } from './pipeline';

// What deals knows of a lead when opening its deal: the lead.qualified snapshot, or only its id when a person
// opens the deal by hand.
export interface QualifiedLead {
  leadId: string;
  name: string;
  company: string;
  interest: string;
  sourceChannel: string;
  budget?: Money;
}

export interface Assignment {
  owner: string;
  reason: string;
}

export interface OpeningChoice {
  pipelineId: string;
  pipeline: PipelineDefinition;
  assignment: Assignment;
  openedBy: string;
  // A person's choices when opening by hand; they override the derived ones.
  title?: string;
  value?: Money;
}

export function dealTitle(lead: QualifiedLead): string {
  const who = lead.company || lead.name || 'Lead';
  return lead.interest ? `${who} - ${lead.interest}` : who;
}

// Round-robin over the configured owners, keyed on a sequence shared by every copy of the service.
export function roundRobinOwner(owners: string[], sequence: number): Assignment {
  if (owners.length === 0) return { owner: '', reason: 'unassigned: no owners configured' };
  const turn = sequence % owners.length;
  return { owner: owners[turn], reason: `round-robin ${turn + 1} of ${owners.length}` };
}

// The deal opened for a qualified lead: first stage of the chosen pipeline, value by the value rules, expected
// close after the pipeline's typical cycle.
export function openDeal(id: string, lead: QualifiedLead, choice: OpeningChoice, policy: ValuePolicy, now: Date): Deal {
  const firstStage = choice.pipeline.stages[0];
  const { value, needsEstimate } = choice.value
    ? { value: choice.value, needsEstimate: false }
    : initialValue(lead.budget, lead.interest, policy);
  return {
    id,
    leadId: lead.leadId,
    title: choice.title?.trim() || dealTitle(lead),
    value,
    valueNeedsEstimate: needsEstimate,
    pipelineId: choice.pipelineId,
    stage: firstStage.id,
    status: 'open',
    expectedCloseDate: addDays(now, choice.pipeline.cycleDays),
    owner: choice.assignment.owner,
    ownerReason: choice.assignment.reason,
    sourceChannel: lead.sourceChannel,
    stageHistory: [{ stage: firstStage.id, enteredAt: now, exitedAt: null, closedAs: null, enteredBy: choice.openedBy }],
    openedAt: now,
    openedBy: choice.openedBy,
    closedAt: null,
    closedBy: '',
    erasedAt: null,
    lostReason: '',
    lostNote: '',
    lastActivityAt: null,
    idleSince: now,
    activityCount: 0,
    activityBytes: 0,
    version: 1,
  };
}

// The title a deal gets when nothing is known of its lead but its id (opened by hand without a title).
const untitled = dealTitle({ leadId: '', name: '', company: '', interest: '', sourceChannel: '' });

// A deal opened knowing only its lead's id, completed from the lead.qualified snapshot that arrives later: its title
// and source channel, where still blank. Undefined when there is nothing to fill; other choices stay as they were.
export function completeFromLead(deal: Deal, lead: QualifiedLead): Deal | undefined {
  if (deal.erasedAt) return undefined;
  const title = deal.title === untitled ? dealTitle(lead) : deal.title;
  const sourceChannel = deal.sourceChannel || lead.sourceChannel;
  if (title === deal.title && sourceChannel === deal.sourceChannel) return undefined;
  return { ...deal, title, sourceChannel, version: deal.version + 1 };
}

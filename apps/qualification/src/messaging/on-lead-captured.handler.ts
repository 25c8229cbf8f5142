import type { Logger } from '@crm/logging';
import { UnprocessableEventError, type OutboxRelay, type ReceivedEvent } from '@crm/messaging';
import { fromFirstScoring } from '../domain/qualification';
import type { RuleSet } from '../domain/rule-set';
import { scoreLead } from '../domain/scoring';
import type { QualificationRepository } from '../store/qualification.repository';
import { decisionEvents } from './decision-events';
import { leadFactsFrom } from './lead-facts.mapper';

// Scores a newly captured lead and stores the decision with its event in one write. One document per lead:
// a redelivered lead.captured finds it there and decides nothing twice.
export function onLeadCaptured(deps: { qualifications: QualificationRepository; ruleSet: () => RuleSet; relay: OutboxRelay; logger: Logger }) {
  return async (event: ReceivedEvent<'lead.captured'>): Promise<void> => {
    const lead = event.payload.lead;
    if (!lead?.id) throw new UnprocessableEventError('lead.captured without a lead id');
    if (await deps.qualifications.findByLeadId(lead.id)) return;
    const facts = leadFactsFrom(lead);
    const qualification = fromFirstScoring(facts, scoreLead(facts, deps.ruleSet(), new Date()));
    if (await deps.qualifications.insertFirst(qualification, decisionEvents(qualification))) {
      deps.relay.notify();
      deps.logger.info({ leadId: lead.id, decision: qualification.decision, score: qualification.score }, 'lead scored');
    }
  };
}

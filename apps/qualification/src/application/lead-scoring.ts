import { ErasedError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import type { OutboxRelay } from '@crm/messaging';
import { lostRace, retryOnConflict } from '@crm/persistence';
import type { LeadFacts } from '../domain/lead-facts';
import { fromFirstScoring, rescore } from '../domain/qualification';
import { scoreLead } from '../domain/scoring';
import type { QualificationRepository } from '../store/qualification.repository';
import { decisionEvents } from '../wire/decision-events.builder';
import type { RuleSetCatalog } from './rule-set-catalog';

// Concurrent writers of one lead are rare (two copies handling its events at once); past this, the message is retried.
const maxAttempts = 5;

// 'first-decision': the lead's first scoring, which decided it; 'scored': a later one; 'stale': an older snapshot;
// 'erased': the lead's person was erased, and a late snapshot neither brings them back nor decides anything.
export type ScoringOutcome = 'first-decision' | 'scored' | 'stale' | 'erased';

// Scores a snapshot of a lead with the rule set in force and stores it with the event its decision causes, in one
// write guarded by the qualification's version: each decision is stored, and so emitted, once.
export class LeadScoring {
  constructor(
    private readonly qualifications: QualificationRepository,
    private readonly ruleSets: RuleSetCatalog,
    private readonly relay: OutboxRelay,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  async score(lead: LeadFacts, snapshot: Uint8Array): Promise<ScoringOutcome> {
    try {
      return await this.scoreOnce(lead, snapshot);
    } catch (err) {
      if (err instanceof ErasedError) return 'erased';
      throw err;
    }
  }

  private scoreOnce(lead: LeadFacts, snapshot: Uint8Array): Promise<ScoringOutcome> {
    return retryOnConflict(
      `the qualification of lead ${lead.leadId}`,
      async () => {
        const scoring = scoreLead(lead, await this.ruleSets.inForce(), this.now());
        const current = await this.qualifications.findByLeadId(lead.leadId);
        if (!current) {
          const first = fromFirstScoring(lead, snapshot, scoring);
          const events = decisionEvents(first);
          const claim = this.relay.claimForWrite();
          if (!(await this.qualifications.insertFirst(first, events, claim))) return lostRace;
          this.relay.publishWritten(first.leadId, claim, events);
          return this.stored(first.leadId, first.decision, first.score, 'first-decision');
        }
        const change = rescore(current, lead, snapshot, scoring);
        if (!change) return 'stale';
        const events = change.decided ? decisionEvents(change.next) : [];
        if (!(await this.qualifications.saveChange(change.next, current.version, events))) return lostRace;
        if (events.length > 0) this.relay.notify(lead.leadId);
        return this.stored(lead.leadId, change.next.decision, scoring.score, 'scored');
      },
      maxAttempts,
    );
  }

  private stored(leadId: string, decision: string, score: number, outcome: ScoringOutcome): ScoringOutcome {
    this.logger.info({ leadId, decision, score }, 'lead scored');
    return outcome;
  }
}

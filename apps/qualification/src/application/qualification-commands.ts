import { ConcurrencyConflictError, NotFoundError, ValidationError } from '@crm/errors';
import type { OutboxRelay } from '@crm/messaging';
import { decideByHand, manualDecision, type Qualification } from '../domain/qualification';
import type { Decision } from '../domain/scoring';
import type { QualificationRepository } from '../store/qualification.repository';
import { decisionEvents } from '../wire/decision-events.builder';

export class QualificationCommands {
  constructor(
    private readonly qualifications: QualificationRepository,
    private readonly relay: OutboxRelay,
    private readonly now: () => Date,
  ) {}

  async get(leadId: string): Promise<Qualification> {
    if (leadId.trim() === '')
      throw new ValidationError('REQUEST_INVALID', [{ field: 'lead_id', rule: 'required', message: 'is required' }]);
    const qualification = await this.qualifications.findByLeadId(leadId);
    if (!qualification) throw new NotFoundError('QUALIFICATION_NOT_FOUND', 'qualification of lead', leadId);
    return qualification;
  }

  // Records a person's decision; the same decision again changes nothing and emits nothing.
  async decide(leadId: string, decision: Decision, reason: string, actor: string): Promise<Qualification> {
    const request = manualDecision(decision, reason, actor);
    const current = await this.get(leadId);
    const decided = decideByHand(current, request, this.now());
    if (!decided) return current;
    if (!(await this.qualifications.saveChange(decided, current.version, decisionEvents(decided)))) {
      throw new ConcurrencyConflictError('CONCURRENT_UPDATE', `the qualification of lead ${leadId} changed meanwhile; retry`);
    }
    this.relay.notify(leadId);
    return decided;
  }
}

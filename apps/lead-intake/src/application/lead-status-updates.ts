import type { Lead } from '../domain/lead';
import { applyQualificationDecision, markConverted, type QualificationOutcome } from '../domain/lead-status';
import type { LeadRepository } from '../store/lead.repository';

// The lead's status following other services' decisions: qualification's outcome, and the deal opened for it.
// They publish no event of lead-intake's (status changes are theirs to announce); each returns false when the
// lead is unknown. An erased lead takes no more changes: a late decision or deal changes nothing.
export class LeadStatusUpdates {
  constructor(
    private readonly leads: LeadRepository,
    private readonly now: () => Date,
  ) {}

  applyQualificationDecision(leadId: string, outcome: QualificationOutcome, decidedAt: Date): Promise<boolean> {
    return this.change(leadId, (lead) => applyQualificationDecision(lead, outcome, decidedAt, this.now()));
  }

  // Converted, keeping the deal's id.
  markConverted(leadId: string, dealId: string): Promise<boolean> {
    return this.change(leadId, (lead) => markConverted(lead, dealId, this.now()));
  }

  private async change(leadId: string, apply: (lead: Lead) => Lead | undefined): Promise<boolean> {
    const stored = await this.leads.update(leadId, (lead) => {
      const changed = lead.erasure ? undefined : apply(lead);
      return changed && { lead: changed, events: [] };
    });
    return stored !== null;
  }
}

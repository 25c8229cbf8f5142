import { QualificationDecision } from '@crm/contracts';
import type { Logger } from '@crm/logging';
import { isPastRetention, retentionCutoff, unqualifiedStatuses } from '../domain/lead-erasure';
import type { LeadRepository } from '../store/lead.repository';
import type { EraseLead } from './erase-lead';
import type { PersonRecords } from './export-lead';

const batchSize = 100;

// Storage limitation: erases, through the same path as a person's request, every lead that never qualified and
// whose last touchpoint is older than the retention period. Qualification is asked first (its decision reaches this
// lead's status only once its event is consumed): a lead it qualified, or one it cannot answer for now, stays. Each
// lead is checked again on the state its erasure writes over, so one that came back meanwhile stays. Copies may
// sweep at once: erasing twice is a no-op.
export class RetentionSweep {
  constructor(
    private readonly leads: LeadRepository,
    private readonly erasure: EraseLead,
    private readonly records: PersonRecords,
    private readonly days: number,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  async sweep(): Promise<number> {
    const now = this.now();
    let erased = 0;
    // Paged by id, so leads kept this time (refused, or qualification could not say) never hold the others back.
    for (let afterId = ''; ;) {
      const ids = await this.leads.idleSince(retentionCutoff(this.days, now), unqualifiedStatuses, afterId, batchSize);
      for (const id of ids) {
        afterId = id;
        if (!(await this.neverQualified(id))) continue;
        const result = await this.erasure.eraseUnless(
          id,
          'retention-expired',
          'system',
          now,
          (lead) => !isPastRetention(lead, this.days, now),
        );
        if (result && !result.alreadyErased) erased++;
      }
      if (ids.length < batchSize) break;
    }
    if (erased > 0) this.logger.info({ erased, retentionDays: this.days }, 'leads past their retention period erased');
    return erased;
  }

  private async neverQualified(leadId: string): Promise<boolean> {
    try {
      const qualification = await this.records.qualificationOf(leadId);
      return qualification?.decision !== QualificationDecision.QUALIFICATION_DECISION_QUALIFIED;
    } catch (err) {
      this.logger.warn({ leadId, err: (err as Error).message }, 'qualification could not say whether a lead qualified; it is kept for now');
      return false;
    }
  }
}

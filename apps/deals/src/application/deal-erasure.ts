import type { Logger } from '@crm/logging';
import { lostRace, retryOnConflict } from '@crm/persistence';
import { eraseActivity, eraseDeal } from '../domain/deal-erasure';
import type { DealRepository } from '../store/deal.repository';
import type { ErasedLeadRepository } from '../store/erased-lead.repository';

// lead.erased in deals. The erasure is recorded first, then the lead's deal (if any) loses its free text. An opening
// racing it checks the record after inserting its deal (see DealOpening), so whichever runs second erases: no
// deal of an erased lead keeps its text, whatever the interleaving.
export class DealErasure {
  constructor(
    private readonly deals: DealRepository,
    private readonly erasedLeads: ErasedLeadRepository,
    private readonly logger: Logger,
  ) {}

  async erase(leadId: string, at: Date): Promise<void> {
    await this.eraseDealOf(leadId, await this.erasedLeads.record(leadId, at));
  }

  // When the lead was erased, after making sure its deal (if any) is erased too: an opening checks this before and
  // after inserting a deal, and a deal a crash left unerased is erased on the next look. Null for a lead not erased.
  async eraseIfErased(leadId: string): Promise<Date | null> {
    const at = await this.erasedLeads.erasedAt(leadId);
    if (at) await this.eraseDealOf(leadId, at);
    return at;
  }

  private async eraseDealOf(leadId: string, at: Date): Promise<void> {
    await retryOnConflict(`the erasure of the deal of lead ${leadId}`, async () => {
      const found = await this.deals.findWithActivities(leadId);
      const erased = found && eraseDeal(found.deal, at);
      if (!found || !erased) return undefined;
      if (!(await this.deals.saveErased(erased, found.activities.map(eraseActivity), found.deal.version))) return lostRace;
      this.logger.info({ leadId, dealId: erased.id }, 'deal of an erased lead anonymized');
      return undefined;
    });
  }
}

import type { Logger } from '@crm/logging';
import { retryOnConflict } from '@crm/persistence';
import type { QualificationRepository } from '../store/qualification.repository';

// lead.erased: the lead's person goes from qualification's store, the decision stays. Erasing again changes nothing.
export class QualificationErasure {
  constructor(
    private readonly qualifications: QualificationRepository,
    private readonly logger: Logger,
  ) {}

  async erase(leadId: string, at: Date): Promise<void> {
    const erasedAt = await retryOnConflict(`the erasure of lead ${leadId}`, () => this.qualifications.erase(leadId, at));
    if (erasedAt.getTime() === at.getTime()) this.logger.info({ leadId }, 'lead erased');
  }
}

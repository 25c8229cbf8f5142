import type { Model } from 'mongoose';
import { findLeanById, insertIfAbsent } from '@crm/persistence';
import type { ErasedLeadDocument } from './erased-lead.model';

export class ErasedLeadRepository {
  constructor(private readonly erased: Model<ErasedLeadDocument>) {}

  // Records the erasure unless one is recorded, and returns when the lead was erased: the first one's time stands.
  async record(leadId: string, at: Date): Promise<Date> {
    if (await insertIfAbsent(this.erased, { _id: leadId, erasedAt: at })) return at;
    return (await this.erasedAt(leadId)) ?? at;
  }

  async erasedAt(leadId: string): Promise<Date | null> {
    const doc = await findLeanById<ErasedLeadDocument>(this.erased, leadId);
    return doc?.erasedAt ?? null;
  }
}

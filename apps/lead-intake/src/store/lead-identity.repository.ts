import type { Model } from 'mongoose';
import { insertIfAbsent } from '@crm/persistence';
import type { LeadIdentityDocument } from './lead-identity.model';

export class LeadIdentityRepository {
  constructor(private readonly identities: Model<LeadIdentityDocument>) {}

  // True when this call now owns the identity for leadId; false when someone already had it.
  async claim(key: string, leadId: string, now: Date): Promise<boolean> {
    return insertIfAbsent(this.identities, { _id: key, leadId, claimedAt: now });
  }

  async find(key: string): Promise<LeadIdentityDocument | null> {
    return this.identities.findById(key).lean<LeadIdentityDocument>();
  }

  // Moves the identity from one lead id to another, only if it still names the first (compare-and-set).
  async move(key: string, from: LeadIdentityDocument, toLeadId: string, now: Date): Promise<boolean> {
    const result = await this.identities.updateOne(
      { _id: key, leadId: from.leadId, claimedAt: from.claimedAt },
      { $set: { leadId: toLeadId, claimedAt: now } },
    );
    return result.matchedCount === 1;
  }

  async release(key: string, leadId: string): Promise<void> {
    await this.identities.deleteOne({ _id: key, leadId });
  }

  // Every identity naming the lead, including one a capture racing the erasure claimed for it: rare, so a scan on
  // mongo-java-server (MongoDB uses the leadId index).
  async releaseAllOf(leadId: string): Promise<void> {
    await this.identities.deleteMany({ leadId });
  }
}

import { NotFoundError } from '@crm/errors';
import type { OutboxRelay } from '@crm/messaging';
import type { ErasureReason, Lead, LeadErasure } from '../domain/lead';
import { eraseLead } from '../domain/lead-erasure';
import type { IdempotencyKeyRepository } from '../store/idempotency-key.repository';
import type { LeadIdentityRepository } from '../store/lead-identity.repository';
import type { LeadRepository } from '../store/lead.repository';
import { leadErased } from '../wire/lead-events.builder';

export interface ErasureResult {
  leadId: string;
  erasure: LeadErasure;
  // The lead had been erased before: this request changed nothing.
  alreadyErased: boolean;
}

// A person's right to erasure, here and, through lead.erased, in every other service. The lead is anonymized and
// its lead.erased stored in one write, so the event goes out however the process fares afterwards. Then go the
// identities (which hold the e-mail and phone as keys) and the Idempotency-Keys that answer with the lead; that part
// runs again on every request and when lead-intake consumes its own lead.erased, so a crash right after the write
// still leaves nothing behind.
export class EraseLead {
  constructor(
    private readonly leads: LeadRepository,
    private readonly identities: LeadIdentityRepository,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    private readonly relay: OutboxRelay,
    private readonly now: () => Date,
  ) {}

  async erase(leadId: string, reason: ErasureReason, by: string): Promise<ErasureResult> {
    const result = await this.eraseUnless(leadId, reason, by, this.now(), () => false);
    if (!result) throw new NotFoundError('LEAD_NOT_FOUND', 'lead', leadId);
    return result;
  }

  // As erase, unless `refuse` says no on the lead as read for the write (the retention sweep's own check): then
  // nothing changes. Null when refused or when the lead is unknown.
  async eraseUnless(
    leadId: string,
    reason: ErasureReason,
    by: string,
    now: Date,
    refuse: (lead: Lead) => boolean,
  ): Promise<ErasureResult | null> {
    const erasure: LeadErasure = { at: now, reason, by };
    let refused = false;
    const result = await this.leads.update(leadId, (lead) => {
      refused = !lead.erasure && refuse(lead);
      if (refused) return undefined;
      const erased = eraseLead(lead, erasure);
      return erased && { lead: erased, events: [leadErased(erased.id, erasure)] };
    });
    if (refused || !result?.lead.erasure) return null;
    await this.forgetKeys(leadId);
    if (result.changed) this.relay.notify(leadId);
    return { leadId, erasure: result.lead.erasure, alreadyErased: !result.changed };
  }

  // The identities and Idempotency-Keys of an erased lead; idempotent.
  async forgetKeys(leadId: string): Promise<void> {
    await this.identities.releaseAllOf(leadId);
    await this.idempotencyKeys.forgetLead(leadId);
  }
}

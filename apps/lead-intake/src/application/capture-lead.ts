import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboxRelay } from '@crm/messaging';
import { InvariantViolationError } from '@crm/errors';
import { identityKeysOf } from '../domain/contact-identity';
import { captureLead, type LeadCapture } from '../domain/lead';
import { mergeCapture, touchpointOfRequest } from '../domain/lead-merge';
import { leadCaptured, leadUpdated } from '../wire/lead-events.builder';
import type { LeadIdentityRepository } from '../store/lead-identity.repository';
import type { LeadRepository } from '../store/lead.repository';
import type { CaptureResult } from './capture-result';

// The lead a capture was merging into turned out erased.
class ErasedMeanwhile extends Error {}

const maxErasureRetries = 3;

// Captures a lead, or merges it into the lead of the same person (same normalised e-mail or phone).
//
// Without transactions, identities are claimed BEFORE the lead is written: each identity is a document with a
// unique _id, so of concurrent captures of one person (in any number of copies of the service) exactly one
// creates the lead and the others merge into it. A capture that finds an identity whose lead does not exist yet
// waits for it; if it never appears within `claimTimeoutMs` (its writer crashed between the two writes) the
// identity is taken over.
export class CaptureLead {
  constructor(
    private readonly leads: LeadRepository,
    private readonly identities: LeadIdentityRepository,
    private readonly relay: OutboxRelay,
    private readonly claimTimeoutMs: number,
    private readonly now: () => Date,
  ) {}

  async capture(capture: LeadCapture, channel: string, requestKey: string): Promise<CaptureResult> {
    // The person's lead was erased between finding it and merging into it: its identities are free now, so the
    // capture runs again and starts a new lead.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.captureOnce(capture, channel, requestKey);
      } catch (err) {
        if (!(err instanceof ErasedMeanwhile) || attempt >= maxErasureRetries) throw err;
      }
    }
  }

  private async captureOnce(capture: LeadCapture, channel: string, requestKey: string): Promise<CaptureResult> {
    const now = this.now();
    const newId = randomUUID();
    const keys = identityKeysOf(capture);
    const { claimedForNew, target } = await this.claimIdentities(keys, newId);

    if (target === undefined) {
      const lead = captureLead(newId, capture, channel, now, keys, requestKey);
      const events = [leadCaptured(lead)];
      const claim = this.relay.claimForWrite();
      try {
        await this.leads.insert(lead, events, claim);
      } catch (err) {
        // A failed insert may still have been applied (a timeout, or the connection lost before the reply): then the
        // lead is there and this capture succeeded. Only a lead known to be absent frees its identities for a retry;
        // when even that cannot be told they stay claimed, and a later capture takes them over once abandoned, so a
        // retry never creates a second lead of the person.
        const written = await this.leads.exists(newId).catch(() => undefined);
        if (written === undefined) throw err;
        if (!written) {
          await Promise.all(claimedForNew.map((key) => this.identities.release(key, newId))).catch(() => undefined);
          throw err;
        }
      }
      this.relay.publishWritten(lead.id, claim, events);
      return { lead, outcome: 'created', firstOutcome: 'created' };
    }

    const leadId = target;
    for (const key of claimedForNew) {
      const identity = await this.identities.find(key);
      // claimedAt is a lease, read against real time: never the business clock.
      if (identity?.leadId === newId) await this.identities.move(key, identity, leadId, new Date());
    }
    const ownKeys = await this.keysOwnedBy(keys, leadId);
    const result = await this.leads.update(leadId, (lead) => {
      if (lead.erasure) throw new ErasedMeanwhile();
      if (touchpointOfRequest(lead, requestKey)) return undefined;
      const merged = mergeCapture(lead, capture, channel, now, requestKey, ownKeys);
      return { lead: merged.lead, events: [leadUpdated(merged.lead, merged.changedFields)] };
    });
    if (!result) throw new InvariantViolationError('IDENTITY_LEAD_MISSING', `lead ${leadId} named by an identity does not exist`);
    if (result.changed) {
      this.relay.notify(leadId);
      return { lead: result.lead, outcome: 'merged', firstOutcome: 'merged' };
    }
    // This very request reached the lead before (a retry after a crash): answer as it was answered then.
    const createdByIt = result.lead.touchpoints[0]?.requestKey === requestKey;
    return { lead: result.lead, outcome: 'replayed', firstOutcome: createdByIt ? 'created' : 'merged' };
  }

  // Whether a capture with this request key reached a lead of its person (its touchpoint is there), e.g. one
  // whose write was applied although the capture failed.
  async landed(capture: LeadCapture, requestKey: string): Promise<boolean> {
    for (const key of identityKeysOf(capture)) {
      const identity = await this.identities.find(key);
      const lead = identity && (await this.leads.findById(identity.leadId));
      if (lead && touchpointOfRequest(lead, requestKey)) return true;
    }
    return false;
  }

  // Claims the identities for a new lead, or finds the lead of the person they belong to. A person not seen before
  // is the common case: every identity is claimed at once (one command for them all, and for those of the other
  // captures of the same turn). The ones already taken are then resolved in turn; those claimed here move to the
  // person's lead when one is found (see captureOnce).
  private async claimIdentities(keys: string[], newId: string): Promise<{ claimedForNew: string[]; target?: string }> {
    const claimed = await Promise.all(keys.map((key) => this.identities.claim(key, newId, new Date())));
    const claimedForNew = keys.filter((_, i) => claimed[i]);
    let target: string | undefined;
    for (const key of keys.filter((_, i) => !claimed[i])) {
      const owner = await this.ownerOf(key, target ?? newId);
      if (owner === newId) claimedForNew.push(key);
      else if (owner !== target) target ??= owner;
    }
    return { claimedForNew, target };
  }

  // The lead id an identity belongs to: `candidate` when this call claimed it, else the existing lead's id.
  private async ownerOf(key: string, candidate: string): Promise<string> {
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      if (await this.identities.claim(key, candidate, new Date())) return candidate;
      const identity = await this.identities.find(key);
      if (!identity) continue; // released by a capture that failed, or by an erasure: claim again
      const owner = identity.leadId === candidate ? 'live' : await this.leads.presence(identity.leadId);
      if (owner === 'live') return identity.leadId;
      // An erased lead's identity is left only by an erasure still under way, or racing this capture: it is free.
      const abandoned = owner === 'erased' || Date.now() - identity.claimedAt.getTime() > this.claimTimeoutMs;
      if (abandoned && (await this.identities.move(key, identity, candidate, new Date()))) return candidate;
      await sleep(wait);
    }
  }

  private async keysOwnedBy(keys: string[], leadId: string): Promise<string[]> {
    const owners = await Promise.all(keys.map((key) => this.identities.find(key)));
    return keys.filter((_, i) => owners[i]?.leadId === leadId);
  }
}

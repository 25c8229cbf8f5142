import { setTimeout as sleep } from 'node:timers/promises';
import { UnprocessableContentError } from '@crm/errors';
import { bodyHash } from '../domain/body-hash';
import { earlierSpellingHashes } from '../domain/capture-hashes';
import type { IdempotencyKey } from '../domain/idempotency-key';
import type { LeadCapture } from '../domain/lead';
import type { IdempotencyKeyRepository } from '../store/idempotency-key.repository';
import type { LeadRepository } from '../store/lead.repository';
import type { CaptureLead } from './capture-lead';
import type { CaptureResult } from './capture-result';

// Idempotency-Key per channel: a retry gets the first answer (its outcome and lead) with no second lead or event;
// the key with a different body is refused with 422. The key is reserved before the capture runs, so a retry
// racing the first attempt waits for its answer; the key also travels into the lead's touchpoint, in the same
// write as the lead, so a capture that crashed before recording its answer is recognised when retried.
export class IdempotentCapture {
  constructor(
    private readonly captureLead: CaptureLead,
    private readonly keys: IdempotencyKeyRepository,
    private readonly leads: LeadRepository,
    private readonly claimTimeoutMs: number,
  ) {}

  async capture(capture: LeadCapture, channel: string, idempotencyKey: string | undefined): Promise<CaptureResult> {
    if (idempotencyKey === undefined) return this.captureLead.capture(capture, channel, '');
    const id = `${channel}:${idempotencyKey}`;
    const hash = bodyHash(capture);
    const waitingSince = Date.now();
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      const existing = await this.keys.reserve(id, hash, new Date());
      if (existing === 'reserved') break;
      // Only a differing digest is worth the digests of earlier spellings.
      if (existing.bodyHash !== hash && !earlierSpellingHashes(capture).includes(existing.bodyHash)) {
        throw new UnprocessableContentError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was already used with a different request body; use a new key for a new request',
        );
      }
      const replay = await this.replay(existing);
      if (replay) return replay;
      // A key in progress is abandoned once its claim is older than the timeout. An answered key whose lead is gone
      // (deleted since) is waited for no longer than the timeout either; then the request runs as a fresh capture.
      const since = existing.leadId === null ? existing.claimedAt.getTime() : waitingSince;
      const abandoned = Date.now() - since > this.claimTimeoutMs;
      if (abandoned && (await this.keys.takeOver(existing, new Date()))) break;
      await sleep(wait);
    }

    let result: CaptureResult;
    try {
      result = await this.captureLead.capture(capture, channel, id);
    } catch (err) {
      // Frees the key for the channel's retry only when the capture surely reached no lead. If it did (the write was
      // applied although it failed here), or that cannot be told, the key stays claimed: a retry takes it over once
      // abandoned and finds the lead's touchpoint, answering as the first time instead of capturing twice.
      if (!(await this.captureLead.landed(capture, id).catch(() => true))) await this.keys.release(id).catch(() => undefined);
      throw err;
    }
    await this.keys.complete(id, result.lead.id, result.firstOutcome);
    return result;
  }

  private async replay(existing: IdempotencyKey): Promise<CaptureResult | undefined> {
    if (existing.leadId === null || existing.outcome === null) return undefined;
    const lead = await this.leads.findById(existing.leadId);
    // Gone, or erased since (the erasure forgets the key too): the request runs as a fresh capture.
    if (!lead || lead.erasure) return undefined;
    return { lead, outcome: 'replayed', firstOutcome: existing.outcome };
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '@crm/errors';

export interface Caller {
  channel: string;
  // Names the key without revealing it ("web-form#2"), for per-key rate limits.
  keyId: string;
}

// Authenticates an intake request by its API key; the key names the channel. Keys are compared as SHA-256
// digests in constant time, so neither a key's content nor its length leaks through timing. Keys are never logged.
export class ApiKeys {
  private readonly digests: { channel: string; keyId: string; digest: Buffer }[];

  constructor(keys: { channel: string; key: string }[]) {
    this.digests = keys.map(({ channel, key }, i) => ({ channel, keyId: `${channel}#${i + 1}`, digest: sha256(key) }));
  }

  identify(presented: string | undefined): Caller {
    if (!presented) throw new UnauthenticatedError('an X-Api-Key header is required');
    const digest = sha256(presented);
    let caller: Caller | undefined;
    for (const entry of this.digests) {
      // No early exit: every key is compared every time.
      if (timingSafeEqual(entry.digest, digest) && caller === undefined) caller = { channel: entry.channel, keyId: entry.keyId };
    }
    if (caller === undefined) throw new UnauthenticatedError('the API key is not valid');
    return caller;
  }

  channelFor(presented: string | undefined): string {
    return this.identify(presented).channel;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '@crm/errors';

export interface Caller {
  // What the key names: an intake channel, or a client reading and editing leads.
  name: string;
  // Names the key without revealing it ("web-form#2"), for per-key rate limits.
  keyId: string;
}

// Authenticates a request by its API key; the key names its holder. Keys are compared as SHA-256 digests in
// constant time, so neither a key's content nor its length leaks through timing. Keys are never logged.
export class ApiKeys {
  private readonly digests: { name: string; keyId: string; digest: Buffer }[];

  constructor(keys: { name: string; key: string }[]) {
    this.digests = keys.map(({ name, key }, i) => ({ name, keyId: `${name}#${i + 1}`, digest: sha256(key) }));
  }

  identify(presented: string | undefined): Caller {
    if (!presented) throw new UnauthenticatedError('an X-Api-Key header is required');
    const caller = this.find(presented);
    if (caller === undefined) throw new UnauthenticatedError('the API key is not valid');
    return caller;
  }

  knows(presented: string): boolean {
    return this.find(presented) !== undefined;
  }

  private find(presented: string): Caller | undefined {
    const digest = sha256(presented);
    let caller: Caller | undefined;
    for (const entry of this.digests) {
      // No early exit: every key is compared every time.
      if (timingSafeEqual(entry.digest, digest) && caller === undefined) caller = { name: entry.name, keyId: entry.keyId };
    }
    return caller;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

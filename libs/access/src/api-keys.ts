import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '@crm/errors';
import type { NamedSecret } from './named-secrets.schema';

export interface Caller {
  // Whom the key or token names: an intake channel, a client reading leads, an internal service.
  name: string;
  // Names the key without revealing it ("web-form#2"), for per-key rate limits.
  keyId: string;
}

// How a refusal names what was expected, in the words of the transport: "an X-Api-Key header", "a bearer token".
export interface CredentialWording {
  missing: string;
  invalid: string;
}

const apiKeyWording: CredentialWording = { missing: 'an X-Api-Key header is required', invalid: 'the API key is not valid' };

// Authenticates a caller by the key (or bearer token) it presents; the key names its holder. Keys are compared as
// SHA-256 digests in constant time, so neither a key's content nor its length leaks through timing. Keys are never
// logged and never part of an error message.
export class ApiKeys {
  private readonly digests: { name: string; keyId: string; digest: Buffer }[];

  constructor(
    keys: NamedSecret[],
    private readonly wording: CredentialWording = apiKeyWording,
  ) {
    this.digests = keys.map(({ name, key }, i) => ({ name, keyId: `${name}#${i + 1}`, digest: sha256(key) }));
  }

  identify(presented: string | undefined): Caller {
    if (!presented) throw new UnauthenticatedError('CREDENTIAL_MISSING', this.wording.missing);
    const caller = this.find(presented);
    if (caller === undefined) throw new UnauthenticatedError('CREDENTIAL_INVALID', this.wording.invalid);
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

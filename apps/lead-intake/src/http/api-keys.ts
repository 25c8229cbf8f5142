import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '@crm/errors';

// Authenticates an intake request by its X-Api-Key; the key names the channel. Keys are compared as SHA-256
// digests in constant time, so neither a key's content nor its length leaks through timing.
export class ApiKeys {
  private readonly digests: { channel: string; digest: Buffer }[];

  constructor(keys: { channel: string; key: string }[]) {
    this.digests = keys.map(({ channel, key }) => ({ channel, digest: sha256(key) }));
  }

  channelFor(presented: string | undefined): string {
    if (!presented) throw new UnauthenticatedError('an X-Api-Key header is required');
    const digest = sha256(presented);
    let channel: string | undefined;
    for (const entry of this.digests) {
      // No early exit: every key is compared every time.
      if (timingSafeEqual(entry.digest, digest) && channel === undefined) channel = entry.channel;
    }
    if (channel === undefined) throw new UnauthenticatedError('the X-Api-Key is not valid');
    return channel;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

import { randomBytes } from 'node:crypto';

// One run's prefix for databases and the broker namespace: unique, so runs never mix with each other or with
// anyone else's data on shared servers, and everything can be dropped afterwards.
export function runId(): string {
  return `bench${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

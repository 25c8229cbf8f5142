import { ConcurrencyConflictError } from '@crm/errors';

// What a change asks of the version it is made on: any version (no check), or exactly this one (optimistic locking
// by the caller). On the wire an unset expected_version means any; here it is said.
export type ExpectedVersion = { kind: 'any' } | { kind: 'exactly'; version: number };

export const anyVersion: ExpectedVersion = { kind: 'any' };

export function exactVersion(version: number): ExpectedVersion {
  return { kind: 'exactly', version };
}

// Throws ABORTED when the caller expected another version than the one stored.
export function requireVersion(what: string, current: number, expected: ExpectedVersion): void {
  if (expected.kind === 'exactly' && current !== expected.version) {
    throw new ConcurrencyConflictError('VERSION_MISMATCH', `${what} is at version ${current}, not ${expected.version}; reload and retry`);
  }
}

import { ValidationError, type FieldViolation } from '@crm/errors';
import { isCalendarDate } from './calendar-date';
import type { Money } from './money';

export type ActivityKind = 'call' | 'email' | 'meeting' | 'note' | 'proposal';

export interface Proposal {
  price: Money;
  terms: string;
  // ISO date (YYYY-MM-DD).
  validUntil: string;
}

// An interaction with the customer during the negotiation.
export interface Activity {
  id: string;
  kind: ActivityKind;
  subject: string;
  notes: string;
  occurredAt: Date;
  recordedAt: Date;
  actor: string;
  proposal: Proposal | null;
}

export type ActivityInput = Omit<Activity, 'id' | 'recordedAt' | 'occurredAt'> & { occurredAt: Date | undefined };

// Activities live inside the deal's document (one write keeps the deal's last-activity time consistent), and MongoDB
// refuses a document over 16 MB. Their number alone does not bound it (500 activities of 20,400 non-ASCII characters
// are some 30 MB), so their total size is capped as well. 3 MiB leaves the rest of the deal and its outbox ample
// room, and keeps ListActivities' answer under gRPC's default 4 MiB message limit.
export const maxActivitiesPerDeal = 500;
export const activityBudgetBytes = 3 * 1024 * 1024;
// What a stored activity takes beyond its texts, rounded up: id, kind, dates, price and the BSON field names.
const activityOverheadBytes = 256;

// The size an activity counts for against its deal's budget: its texts in UTF-8, as stored.
export function activityBytes(activity: Activity): number {
  const texts = [activity.subject, activity.notes, activity.actor, activity.proposal?.terms ?? ''];
  return texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), activityOverheadBytes);
}

// Why a deal holding `count` activities of `bytes` cannot take one more of `size` bytes; undefined when it can.
export function activityRefusal(held: { count: number; bytes: number }, size: number): string | undefined {
  if (held.count >= maxActivitiesPerDeal) return `has reached ${maxActivitiesPerDeal} activities`;
  if (held.bytes + size > activityBudgetBytes) {
    return `has no room for this activity: its activities would take ${held.bytes + size} bytes, beyond the budget of ${activityBudgetBytes} bytes per deal`;
  }
  return undefined;
}

// Clocks of the recording client may run a little ahead.
const futureToleranceMs = 5 * 60 * 1000;
function checkLength(violations: FieldViolation[], field: string, value: string, max: number): void {
  if (value.length > max) violations.push({ field, rule: 'length', message: `must have at most ${max} characters` });
}

export function newActivity(id: string, input: ActivityInput, now: Date): Activity {
  const violations: FieldViolation[] = [];
  const occurredAt = input.occurredAt ?? now;
  if (occurredAt.getTime() > now.getTime() + futureToleranceMs) {
    violations.push({ field: 'occurred_at', rule: 'not-future', message: 'must not be in the future' });
  }
  checkLength(violations, 'subject', input.subject, 200);
  checkLength(violations, 'notes', input.notes, 10_000);
  // A person's name (up to 200 characters) and the calling client's (up to 64), as "<person> via <client>".
  checkLength(violations, 'actor', input.actor, 300);
  if (input.kind === 'proposal') {
    if (!input.proposal) violations.push({ field: 'proposal', rule: 'required', message: 'a proposal activity needs the proposal' });
    else {
      checkLength(violations, 'proposal.terms', input.proposal.terms, 10_000);
      if (!isCalendarDate(input.proposal.validUntil)) {
        violations.push({ field: 'proposal.valid_until', rule: 'date', message: 'must be a calendar date YYYY-MM-DD' });
      }
    }
  } else if (input.proposal) {
    violations.push({ field: 'proposal', rule: 'kind', message: 'only a proposal activity carries a proposal' });
  } else if (input.subject.trim() === '' && input.notes.trim() === '') {
    violations.push({ field: 'subject', rule: 'required', message: 'a subject or notes are required' });
  }
  if (violations.length > 0) throw new ValidationError('ACTIVITY_INVALID', violations);
  return {
    id,
    kind: input.kind,
    subject: input.subject.trim(),
    notes: input.notes.trim(),
    occurredAt,
    recordedAt: now,
    actor: input.actor.trim(),
    proposal: input.proposal ? { ...input.proposal, terms: input.proposal.terms.trim() } : null,
  };
}

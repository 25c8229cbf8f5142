import { parseSafeInt64 } from '@crm/contracts';
import { z } from 'zod';
import { isCalendarDate } from '../domain/calendar-date';
import { anyVersion, exactVersion, type ExpectedVersion } from '../domain/expected-version';

// Shapes of the DealService requests checked at the edge; parseOrThrow turns each issue into a field violation.
const required = z.string().trim().min(1, 'is required').max(200, 'must have at most 200 characters');
const optional = z.string().trim().max(200, 'must have at most 200 characters');

// expected_version: unset (0) asks for no check, any other value for exactly that version.
export const version = z
  .string()
  .transform((value) => parseSafeInt64(value) ?? Number.NaN)
  .refine((value) => Number.isSafeInteger(value) && value >= 0, 'must be a non-negative whole number')
  .transform((value): ExpectedVersion => (value === 0 ? anyVersion : exactVersion(value)));

const calendarDate = z.string().refine((value) => value === '' || isCalendarDate(value), 'must be a calendar date YYYY-MM-DD');

export const byId = z.object({ id: required });

export const byDealId = z.object({ dealId: required });

export const dealCommandRequest = z.object({ dealId: required, expectedVersion: version });

export const moveRequest = dealCommandRequest.extend({ stage: required });

export const loseRequest = dealCommandRequest.extend({ reason: required, note: z.string() });

export const listDealsRange = z
  .object({ expectedCloseFrom: calendarDate, expectedCloseTo: calendarDate })
  .refine((r) => !r.expectedCloseFrom || !r.expectedCloseTo || r.expectedCloseFrom <= r.expectedCloseTo, {
    message: 'must not be after expected_close_to',
    path: ['expectedCloseFrom'],
  });

export const openRequest = z.object({ leadId: required, pipelineId: optional, title: optional, owner: optional, actor: optional });

export const pipelineUpdate = z.object({ id: required, expectedVersion: version });

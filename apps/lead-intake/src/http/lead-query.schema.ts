import { z } from 'zod';
import { leadPriorities, leadStatuses } from '../domain/lead';
import type { LeadFilter } from '../domain/lead-filter';

const oneString = (max: number) => z.string({ message: 'must be given once, as text' }).max(max, `must be at most ${max} characters`);
const dateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

// GET /v1/leads. `tag` may repeat or hold a comma-separated list; `tagMatch` says whether a lead needs any or all.
export const listQuerySchema = z
  .strictObject(
    {
      source: oneString(64).optional(),
      tag: z
        .union([z.string(), z.array(z.string())], { message: 'must be text' })
        .transform((value) =>
          (Array.isArray(value) ? value : [value])
            .flatMap((t) => t.split(','))
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean),
        )
        .pipe(z.array(z.string().max(50, 'each tag must be at most 50 characters')).max(20, 'at most 20 tags'))
        .optional(),
      tagMatch: z.enum(['any', 'all'], { message: 'must be any or all' }).default('any'),
      priority: z.enum(leadPriorities, { message: 'must be one of low, medium, high' }).optional(),
      status: z.enum(leadStatuses, { message: `must be one of ${leadStatuses.join(', ')}` }).optional(),
      createdFrom: dateTime.optional(),
      createdTo: dateTime.optional(),
      q: oneString(200).trim().optional(),
      sort: z.enum(['createdAt', '-createdAt'], { message: 'must be createdAt or -createdAt' }).default('createdAt'),
      pageSize: z.coerce
        .number({ message: 'must be a number' })
        .int('must be a whole number')
        .min(0)
        .max(200, 'must be at most 200')
        .default(0),
      pageToken: oneString(500).default(''),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'is not a filter of leads' : undefined) },
  )
  .transform((query) => ({
    filter: {
      source: query.source,
      tags: query.tag,
      tagMatch: query.tagMatch,
      priority: query.priority,
      status: query.status,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      query: query.q || undefined,
      sort: query.sort,
    } satisfies LeadFilter,
    page: { pageSize: query.pageSize, pageToken: query.pageToken },
  }));

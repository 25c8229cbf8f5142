import { z } from 'zod';
import { leadPriorities } from '../domain/lead';
import type { LeadPatch } from '../domain/lead-patch';
import { companySize, currencyCode, decisionRole, tagList, timelineDays } from './lead-body.schema';

// PATCH /v1/leads/{id} (JSON merge patch): an absent field is left alone; in `hints`, null clears a field.
// `tags` replaces every tag; `addTags` / `removeTags` edit them and cannot come with `tags`.
export const leadPatchSchema = z
  .strictObject(
    {
      tags: tagList.optional(),
      addTags: tagList.optional(),
      removeTags: tagList.optional(),
      priority: z.enum(leadPriorities, { message: 'must be one of low, medium, high' }).optional(),
      interest: z.string({ message: 'must be a string' }).trim().max(200, 'must be at most 200 characters').optional(),
      hints: z
        .strictObject(
          {
            budget: z
              .strictObject({
                currency: currencyCode,
                amountMinor: z
                  .number({ message: 'must be a number' })
                  .int('must be a whole number of minor units')
                  .min(0)
                  .max(Number.MAX_SAFE_INTEGER),
              })
              .nullable()
              .optional(),
            timelineDays: timelineDays.nullable().optional(),
            companySize: companySize.nullable().optional(),
            decisionRole: decisionRole.nullable().optional(),
          },
          { error: (issue) => (issue.code === 'unrecognized_keys' ? 'is not a hint' : 'must be an object') },
        )
        .optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? 'cannot be changed here' : 'must be a JSON object') },
  )
  .superRefine((body, ctx) => {
    if (body.tags && (body.addTags || body.removeTags)) {
      ctx.addIssue({ code: 'custom', path: ['tags'], message: 'replace the tags or add/remove some, not both' });
    }
    if (Object.keys(body).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'names nothing to change' });
  })
  .transform((body): LeadPatch => {
    const { budget, timelineDays: days, companySize: size, decisionRole: role } = body.hints ?? {};
    return {
      tags:
        body.tags || body.addTags || body.removeTags
          ? { replace: body.tags, add: body.addTags ?? [], remove: body.removeTags ?? [] }
          : undefined,
      priority: body.priority,
      interest: body.interest,
      hints: body.hints
        ? {
            ...(budget !== undefined && { budget }),
            ...(days !== undefined && { timelineDays: days }),
            ...(size !== undefined && { companySize: size ?? '' }),
            ...(role !== undefined && { decisionRole: role ?? '' }),
          }
        : undefined,
    };
  });

import { z } from 'zod';
import { leadPriorities, type LeadCapture } from '../domain/lead';

const text = (max: number) => z.string({ message: 'must be a string' }).trim().max(max, `must be at most ${max} characters`).default('');

// Tags come as a JSON array, or from an HTML form as a comma-separated string or repeated fields.
const tags = z
  .preprocess(
    (value) => (typeof value === 'string' ? value.split(',') : value),
    z
      .array(z.string({ message: 'each tag must be a string' }).trim().toLowerCase().max(50, 'each tag must be at most 50 characters'), {
        message: 'must be a list of strings',
      })
      .max(20, 'at most 20 tags'),
  )
  .transform((list) => [...new Set(list.filter((tag) => tag !== ''))])
  .default([]);

// The intake body (JSON or form). Unknown fields are rejected and named, so a channel notices a misspelt field
// instead of losing its data silently.
export const leadBodySchema = z
  .strictObject(
    {
      name: text(200),
      email: z
        .string({ message: 'must be a string' })
        .trim()
        .max(254, 'must be at most 254 characters')
        .pipe(z.union([z.literal(''), z.email({ message: 'must be an e-mail address' })]))
        .default(''),
      phone: text(40).pipe(z.union([z.literal(''), z.string().regex(/^\+?[0-9][0-9 ()./-]{4,39}$/, 'must be a phone number')])),
      company: text(200),
      interest: text(200),
      message: text(5000),
      tags,
      priority: z.enum(leadPriorities, { message: 'must be one of low, medium, high' }).default('medium'),
      campaign: text(200),
      medium: text(100),
      referrer: text(2000),
      landingPageUrl: text(2000),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? 'is not a field of a lead' : 'must be a JSON object or a form',
    },
  )
  .refine((body) => body.email !== '' || body.phone !== '', {
    message: 'an e-mail address or a phone number is required',
    path: ['email'],
  });

export function toLeadCapture(body: z.output<typeof leadBodySchema>): LeadCapture {
  const { campaign, medium, referrer, landingPageUrl, ...contact } = body;
  return { ...contact, source: { campaign, medium, referrer, landingPageUrl } };
}

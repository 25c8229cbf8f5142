import { decisionRoleCodec } from '@crm/contracts';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { normalisePhone } from '../domain/contact-identity';
import { companySizes, decisionRoles, leadPriorities, type LeadCapture } from '../domain/lead';
import { maxCustomAttributes } from '../domain/lead-merge';
import { maxTags } from '../domain/lead';
import { isCurrency, toMinorUnits } from '../domain/money';

const text = (max: number) => z.string({ message: 'must be a string' }).trim().max(max, `must be at most ${max} characters`).default('');

// Tags come as a JSON array, or from an HTML form as a comma-separated string or repeated fields.
export const tagList = z
  .preprocess(
    (value) => (typeof value === 'string' ? value.split(',') : value),
    z
      .array(z.string({ message: 'each tag must be a string' }).trim().toLowerCase().max(50, 'each tag must be at most 50 characters'), {
        message: 'must be a list of strings',
      })
      .max(maxTags, `at most ${maxTags} tags`),
  )
  .transform((list) => [...new Set(list.filter((tag) => tag !== ''))]);

export const customAttributeKey = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export const companySize = z.enum(companySizes, { message: `must be one of ${companySizes.join(', ')}` });
// decision_maker, the spelling of the first role before every service shared one, is still accepted from callers.
export const decisionRole = z
  .enum(decisionRoleCodec.spellings, { message: `must be one of ${decisionRoles.join(', ')}` })
  .transform(decisionRoleCodec.canonical);
export const timelineDays = z
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0)
  .max(3650, 'must be at most 3650');
export const budgetAmount = z.number({ message: 'must be a number' }).min(0, 'must not be negative').max(1e12, 'must be at most 1e12');
export const currencyCode = z.string({ message: 'must be a string' }).refine(isCurrency, 'must be an ISO 4217 currency code such as EUR');

const fields = {
  name: text(200),
  email: z
    .string({ message: 'must be a string' })
    .trim()
    .max(254, 'must be at most 254 characters')
    .pipe(z.union([z.literal(''), z.email({ message: 'must be an e-mail address' })]))
    .default(''),
  company: text(200),
  jobTitle: text(200),
  interest: text(200),
  message: text(5000),
  tags: tagList.default([]),
  priority: z.enum(leadPriorities, { message: 'must be one of low, medium, high' }).default('medium'),
  campaign: text(200),
  medium: text(100),
  referrer: text(2000),
  landingPageUrl: text(2000),
  utmSource: text(200),
  utmMedium: text(200),
  utmCampaign: text(200),
  utmTerm: text(200),
  utmContent: text(200),
  consent: z.boolean({ message: 'must be true or false' }).default(false),
  consentText: text(2000),
  consentGivenAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  budget: budgetAmount.optional(),
  budgetCurrency: currencyCode.optional(),
  timelineDays: timelineDays.optional(),
  companySize: companySize.optional(),
  decisionRole: decisionRole.optional(),
  customAttributes: z
    .record(
      z.string().regex(customAttributeKey, 'each key must start with a letter and hold only letters, digits, "_" or "-" (at most 64)'),
      z.string({ message: 'each value must be a string' }).max(500, 'each value must be at most 500 characters'),
      { message: 'must be an object of strings' },
    )
    .refine((map) => Object.keys(map).length <= maxCustomAttributes, `at most ${maxCustomAttributes} attributes`)
    .default({}),
};

// The phone in E.164, parsed once, in the field itself so its error is reported along with the other fields'.
function phoneIn(defaultRegion: CountryCode) {
  return text(40).transform((phone, ctx) => {
    if (phone === '') return '';
    const e164 = normalisePhone(phone, defaultRegion);
    if (e164 === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a valid phone number, international or national in ${defaultRegion}` });
      return z.NEVER;
    }
    return e164;
  });
}

// The intake body, the same for JSON and forms (flat, so a plain HTML form can send every field). Unknown fields
// are rejected and named, so a channel notices a misspelt field instead of losing its data silently.
export function leadBodySchema(defaultRegion: CountryCode) {
  return (
    z
      .strictObject(
        { ...fields, phone: phoneIn(defaultRegion) },
        {
          error: (issue) => (issue.code === 'unrecognized_keys' ? 'is not a field of a lead' : 'must be a JSON object or a form'),
        },
      )
      .superRefine((body, ctx) => {
        if (body.email === '' && body.phone === '') {
          ctx.addIssue({ code: 'custom', path: ['email'], message: 'an e-mail address or a phone number is required' });
        }
        if ((body.budget === undefined) !== (body.budgetCurrency === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['budgetCurrency'], message: 'budget and budgetCurrency go together' });
        }
      })
      // The budget's decimals are checked where it is converted, so it is converted once per request (this runs only
      // once every other check passed).
      .transform((body, ctx): LeadCapture => {
        const budget = body.budget === undefined ? null : toMinorUnits(body.budget, body.budgetCurrency!);
        if (budget === undefined) {
          ctx.addIssue({ code: 'custom', path: ['budget'], message: `has more decimals than ${body.budgetCurrency} allows` });
          return z.NEVER;
        }
        return {
          name: body.name,
          email: body.email,
          phone: body.phone,
          company: body.company,
          jobTitle: body.jobTitle,
          interest: body.interest,
          message: body.message,
          tags: body.tags,
          priority: body.priority,
          source: {
            campaign: body.campaign,
            medium: body.medium,
            referrer: body.referrer,
            landingPageUrl: body.landingPageUrl,
            utmSource: body.utmSource,
            utmMedium: body.utmMedium,
            utmCampaign: body.utmCampaign,
            utmTerm: body.utmTerm,
            utmContent: body.utmContent,
          },
          consent: { given: body.consent, givenAt: body.consentGivenAt ? new Date(body.consentGivenAt) : null, text: body.consentText },
          hints: {
            budget,
            timelineDays: body.timelineDays ?? null,
            companySize: body.companySize ?? '',
            decisionRole: body.decisionRole ?? '',
          },
          customAttributes: body.customAttributes,
        };
      })
  );
}

export type LeadBodySchema = ReturnType<typeof leadBodySchema>;

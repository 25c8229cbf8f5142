import { z } from 'zod';
import { ValidationError, type FieldViolation } from '@crm/errors';
import { interestKeywords } from './interest-keywords';
import { leadFields, type RuleSet } from './rule-set';

export const maxPatternLength = 200;
const maxRules = 200;
const maxPoints = 1000;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const nonEmptyList = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'must list at least one value').max(100, 'must list at most 100 values');
const name = text(100).min(1, 'must not be empty');
const count = (max: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

// Checked by the very parser scoring uses, so a set that loads is a set that scores. The length bound keeps a
// stored document small; what keeps matching cheap is that keywords are literal substrings, never a regex.
const pattern = text(maxPatternLength)
  .min(1, 'must not be empty')
  .superRefine((value, ctx) => {
    try {
      interestKeywords(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `is not a valid keyword list: ${(err as Error).message}` });
    }
  });

const condition = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('email-domain'), is: nonEmptyList(z.enum(['company', 'free', 'disposable', 'none'])) }),
    z.object({ kind: z.literal('field-present'), field: z.enum(leadFields, { error: `must be one of ${leadFields.join(', ')}` }) }),
    z.object({ kind: z.literal('priority'), in: nonEmptyList(z.enum(['low', 'medium', 'high'])) }),
    z.object({ kind: z.literal('source'), in: nonEmptyList(name) }),
    z
      .object({ kind: z.literal('tags'), any: z.array(name).max(100).default([]), all: z.array(name).max(100).default([]) })
      .refine((c) => c.any.length > 0 || c.all.length > 0, { message: 'must list tags in "any" or "all"', path: ['any'] }),
    z.object({ kind: z.literal('interest-matches'), pattern }),
    z.object({
      kind: z.literal('budget-at-least'),
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
      amountMinor: z
        .number({ error: 'must be a whole number of minor units' })
        .int('must be a whole number of minor units')
        .min(0, 'must not be negative')
        .max(Number.MAX_SAFE_INTEGER),
    }),
    z.object({ kind: z.literal('timeline-within'), days: count(3650) }),
    z.object({ kind: z.literal('decision-role'), in: nonEmptyList(z.enum(['decision-maker', 'influencer', 'user', 'other'])) }),
    z.object({ kind: z.literal('consent-given') }),
    z.object({ kind: z.literal('touchpoints-at-least'), count: count(10_000) }),
  ],
  { error: 'must be one condition of a known kind' },
);

const score = z.number().int('must be a whole number').min(-100_000).max(100_000);

const ruleSetSchema = z
  .object({
    version: text(64)
      .min(1, 'must not be empty')
      .regex(/^([A-Za-z0-9][A-Za-z0-9._-]*)?$/, 'may hold only letters, digits, ".", "_" and "-"'),
    qualifyAt: score,
    disqualifyBelow: score,
    rules: z
      .array(
        z.object({
          id: text(64)
            .min(1, 'must not be empty')
            .regex(/^([a-z0-9][a-z0-9._-]*)?$/, 'may hold only lower-case letters, digits, ".", "_" and "-"'),
          description: text(200).default(''),
          when: condition,
          points: z.number().int('must be a whole number').min(-maxPoints).max(maxPoints),
        }),
      )
      .min(1, 'must hold at least one rule')
      .max(maxRules, `must hold at most ${maxRules} rules`),
  })
  .superRefine((set, ctx) => {
    if (set.disqualifyBelow > set.qualifyAt) {
      ctx.addIssue({ code: 'custom', path: ['disqualifyBelow'], message: `must not exceed qualifyAt (${set.qualifyAt})` });
    }
    const seen = new Set<string>();
    set.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: 'is used by an earlier rule' });
      seen.add(rule.id);
    });
  });

// A violation inside a rule names the rule by its id (or position), so the author finds it at once.
function violationOf(issue: z.ZodError['issues'][number], input: unknown): FieldViolation {
  const [head, index] = issue.path;
  const field = issue.path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
  let message = issue.message;
  if (head === 'rules' && typeof index === 'number') {
    const id = (input as { rules?: { id?: unknown }[] }).rules?.[index]?.id;
    message = `rule ${typeof id === 'string' && id.trim() ? `"${id.trim()}"` : `#${index + 1}`}: ${message}`;
  }
  return { field: field || 'rule_set', rule: issue.code, message };
}

// Validates a rule set wherever it comes from (a request, the store, the default); refuses it naming each problem.
export function parseRuleSet(input: unknown): RuleSet {
  const result = ruleSetSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    'RULE_SET_INVALID',
    result.error.issues.map((issue) => violationOf(issue, input)),
  );
}

import { z } from 'zod';
import { serviceEnv } from '@crm/config';

// Default value per interest, e.g. "crm=1500000,consulting=300000" (minor units of DEFAULT_CURRENCY).
const valueByInterest = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const values: Record<string, bigint> = {};
    for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const match = /^([^=]+)=(\d{1,18})$/.exec(pair);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" is not interest=amount_in_minor_units` });
        return z.NEVER;
      }
      values[match[1].trim().toLowerCase()] = BigInt(match[2]);
    }
    return values;
  });

export const dealsConfigSchema = z.object({
  ...serviceEnv({ httpPort: 3003, grpcPort: 50053 }),
  DEFAULT_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').default('EUR'),
  DEAL_VALUE_BY_INTEREST: valueByInterest,
  // Comma-separated owners that new deals are assigned to in turn; empty leaves deals unassigned.
  DEAL_OWNERS: z
    .string()
    .default('')
    .transform((raw) => raw.split(',').map((o) => o.trim()).filter(Boolean)),
});

export type DealsConfig = z.output<typeof dealsConfigSchema>;

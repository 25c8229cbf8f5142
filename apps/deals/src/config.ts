import { z } from 'zod';
import { checkedList, grpcPeerEnv, listEntries, serviceEnv } from '@crm/config';

// Default value per interest, e.g. "crm=1500000,consulting=300000" (minor units of DEFAULT_CURRENCY).
const valueByInterest = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const values: Record<string, bigint> = {};
    for (const pair of listEntries(raw)) {
      const match = /^([^=]+)=(\d{1,18})$/.exec(pair);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `"${pair}" is not interest=amount_in_minor_units` });
        return z.NEVER;
      }
      values[match[1].trim().toLowerCase()] = BigInt(match[2]);
    }
    return values;
  });

// "a,b,a": each entry once, in order.
const commaList = (fallback: string) => checkedList(undefined, fallback).transform((entries) => [...new Set(entries)]);

export const dealsConfigSchema = z.object({
  ...serviceEnv({ httpPort: 3003, grpcPort: 50053 }),
  DEFAULT_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .default('EUR'),
  DEAL_VALUE_BY_INTEREST: valueByInterest,
  // Comma-separated owners that new deals are assigned to in turn; empty leaves deals unassigned.
  DEAL_OWNERS: commaList(''),
  // The reasons a deal may be lost for (LoseDeal refuses others); free text goes with them as a note.
  LOST_REASONS: commaList('price,timing,competitor,no-budget,no-response,other')
    .transform((reasons) => reasons.map((r) => r.toLowerCase()))
    .refine((reasons) => reasons.length > 0, 'must name at least one reason'),
  // Where OpenDeal asks whether a lead is qualified (QUALIFICATION_GRPC_ADDRESS, _TIMEOUT_MS, _GRPC_TOKEN with the read
  // scope, _GRPC_TLS_*).
  ...grpcPeerEnv('QUALIFICATION', '127.0.0.1:50052'),
  // How long a copy keeps the pipelines it read before reading them again (0: on every use); its own changes show
  // at once, another copy's within this time.
  PIPELINE_CACHE_MS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(60_000, 'must be at most 60000')
    .default(1000),
});

export type DealsConfig = z.output<typeof dealsConfigSchema>;

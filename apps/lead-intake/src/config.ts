import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { namedSecrets } from '@crm/access';
import { positiveInt, secret, serviceEnv } from '@crm/config';

// "https://a.example,https://b.example": web origins (scheme, host and port only).
const originList = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const origins = raw
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    for (const origin of origins) {
      if (!URL.canParse(origin) || new URL(origin).origin !== origin || !/^https?:/.test(origin)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${origin}" is not an origin such as https://www.example.com (no path, no trailing slash)`,
        });
        return z.NEVER;
      }
    }
    return origins;
  });

const phoneRegion = z
  .string()
  .default('ES')
  .refine((code) => isSupportedCountry(code), 'must be an ISO 3166-1 alpha-2 region libphonenumber knows, such as ES')
  .transform((code) => code);

export const leadIntakeConfigSchema = z.object({
  ...serviceEnv({ httpPort: 3001, grpcPort: 50051 }),
  // Intake channels' keys: public (they sit in web pages), so they may only capture leads.
  INTAKE_API_KEYS: secret(namedSecrets('channel')),
  // Keys of the clients that read and edit leads over HTTP (personal data): secret, never in a web page.
  LEADS_API_KEYS: secret(namedSecrets('name')),
  INTAKE_MAX_BODY_BYTES: positiveInt(64 * 1024),
  // Phones without a country code are read as numbers of this region.
  INTAKE_DEFAULT_PHONE_REGION: phoneRegion,
  // Browsers on these origins may call the API (CORS); none when empty.
  INTAKE_CORS_ORIGINS: originList,
  // A form's `redirect` field may name a thank-you page on these origins only.
  INTAKE_REDIRECT_ORIGINS: originList,
  // Requests per API key per window, in each process.
  INTAKE_RATE_LIMIT_POINTS: positiveInt(300),
  INTAKE_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  // How long an identity or Idempotency-Key may stay claimed by a capture that never finished before another
  // capture takes it over.
  INTAKE_CLAIM_TIMEOUT_MS: positiveInt(10_000),
});

export type LeadIntakeConfig = z.output<typeof leadIntakeConfigSchema>;

import { isIP } from 'node:net';
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { namedSecrets } from '@crm/access';
import { checkedList, grpcPeerEnv, positiveInt, secret, serviceEnv } from '@crm/config';

// "https://a.example,https://b.example": web origins (scheme, host and port only).
const originList = checkedList((origin) =>
  URL.canParse(origin) && new URL(origin).origin === origin && /^https?:/.test(origin)
    ? undefined
    : `"${origin}" is not an origin such as https://www.example.com (no path, no trailing slash)`,
);

// "10.0.0.0/8,loopback": proxies as express's "trust proxy" takes them.
const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
const proxyList = checkedList((entry) => {
  if (proxyNames.has(entry)) return undefined;
  const [address, bits, extra] = entry.split('/');
  const prefixOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 6 ? 128 : 32));
  return isIP(address) !== 0 && prefixOk && extra === undefined
    ? undefined
    : `"${entry}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`;
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
  // Requests per window, shared by every copy: per API key (a ceiling for campaign bursts through a public key)
  // and, for captures, per client address on a key.
  INTAKE_RATE_LIMIT_POINTS: positiveInt(6000),
  INTAKE_RATE_LIMIT_PER_ADDRESS: positiveInt(30),
  INTAKE_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  // Proxies (addresses, CIDR ranges, or loopback / linklocal / uniquelocal) whose X-Forwarded-For names the client;
  // none when empty, so no client can choose the address it is limited by.
  INTAKE_TRUSTED_PROXIES: proxyList,
  // The form field a person never sees (hidden by the form's CSS) and leaves empty; filled, the capture is a bot's.
  INTAKE_HONEYPOT_FIELD: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be a form field name (a letter, then letters, digits, "_" or "-")')
    .default('website'),
  // How long an identity or Idempotency-Key may stay claimed by a capture that never finished before another
  // capture takes it over.
  INTAKE_CLAIM_TIMEOUT_MS: positiveInt(10_000),
  // Storage limitation: a lead that never qualified is erased this many days after its last touchpoint; 0 keeps
  // leads until someone erases them.
  LEAD_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .default(0),
  // How often a copy looks for leads past their retention period.
  LEAD_RETENTION_SWEEP_SECONDS: positiveInt(3600),
  // Where an export reads what qualification and deals hold about a lead (a token of each one's GRPC_CLIENTS with the
  // read scope): QUALIFICATION_GRPC_ADDRESS, _TIMEOUT_MS, _GRPC_TOKEN, _GRPC_TLS_*; likewise DEALS_*.
  ...grpcPeerEnv('QUALIFICATION', '127.0.0.1:50052'),
  ...grpcPeerEnv('DEALS', '127.0.0.1:50053'),
});

export type LeadIntakeConfig = z.output<typeof leadIntakeConfigSchema>;

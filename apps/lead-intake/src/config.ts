import { z } from 'zod';
import { positiveInt, serviceEnv } from '@crm/config';

// "web-form=k1,facebook=k2,web-form=k1-next": a key per channel; a channel may hold several keys while rotating.
const intakeApiKeys = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const keys: { channel: string; key: string }[] = [];
    for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const match = /^([a-z0-9][a-z0-9_-]{0,63})=(\S{8,256})$/.exec(pair);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: `each entry must be channel=key (channel: lower-case letters, digits, "-" or "_"; key: 8 to 256 characters without spaces); "${pair.split('=')[0]}=..." is not`,
        });
        return z.NEVER;
      }
      keys.push({ channel: match[1], key: match[2] });
    }
    return keys;
  });

export const leadIntakeConfigSchema = z.object({
  ...serviceEnv({ httpPort: 3001, grpcPort: 50051 }),
  INTAKE_API_KEYS: intakeApiKeys,
  INTAKE_MAX_BODY_BYTES: positiveInt(64 * 1024),
});

export type LeadIntakeConfig = z.output<typeof leadIntakeConfigSchema>;

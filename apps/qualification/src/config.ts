import { z } from 'zod';
import { serviceEnv } from '@crm/config';

export const qualificationConfigSchema = z.object({
  ...serviceEnv({ httpPort: 3002, grpcPort: 50052 }),
  // How long a copy may keep scoring with the rule set in force before reading it again (0: read it every time).
  RULE_SET_CACHE_MS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(60_000, 'must be at most 60000')
    .default(1000),
});

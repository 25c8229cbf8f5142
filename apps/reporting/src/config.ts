import { z } from 'zod';
import { namedSecrets } from '@crm/access';
import { secret, serviceEnv } from '@crm/config';

export const reportingConfigSchema = z.object({
  ...serviceEnv({ httpPort: 3004, grpcPort: 50054 }),
  // Keys of those who may read the sales figures (/v1/reports/* and the dashboard's data), "name=key" pairs.
  REPORTS_API_KEYS: secret(namedSecrets('name')),
  // How long a computed report is shared by the requests for the same report and scope (0: computed every time).
  REPORT_CACHE_MS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(60_000, 'must be at most 60000')
    .default(1000),
});

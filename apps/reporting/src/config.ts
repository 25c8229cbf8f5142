import { z } from 'zod';
import { serviceEnv } from '@crm/config';

export const reportingConfigSchema = z.object({
  ...serviceEnv({ httpPort: 3004, grpcPort: 50054 }),
});

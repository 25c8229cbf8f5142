import { z } from 'zod';
import { serviceEnv } from '@crm/config';

export const qualificationConfigSchema = z.object({
  ...serviceEnv({ httpPort: 3002, grpcPort: 50052 }),
});

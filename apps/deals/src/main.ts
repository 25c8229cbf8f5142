import { loadConfig } from '@crm/config';
import { runMain } from '@crm/service-runtime';
import { dealsConfigSchema } from './config';
import { startDeals } from './deals-service';

runMain(async () => {
  await startDeals(loadConfig(dealsConfigSchema));
});

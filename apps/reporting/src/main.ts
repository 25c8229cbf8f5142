import { loadConfig } from '@crm/config';
import { runMain } from '@crm/service-runtime';
import { reportingConfigSchema } from './config';
import { startReporting } from './reporting-service';

runMain(async () => {
  await startReporting(loadConfig(reportingConfigSchema));
});

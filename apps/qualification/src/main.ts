import { loadConfig } from '@crm/config';
import { runMain } from '@crm/service-runtime';
import { qualificationConfigSchema } from './config';
import { startQualification } from './qualification-service';

runMain(async () => {
  await startQualification(loadConfig(qualificationConfigSchema));
});

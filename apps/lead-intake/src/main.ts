import { loadConfig } from '@crm/config';
import { runMain } from '@crm/service-runtime';
import { leadIntakeConfigSchema } from './config';
import { startLeadIntake } from './lead-intake-service';

runMain(async () => {
  await startLeadIntake(loadConfig(leadIntakeConfigSchema));
});

import { loadConfig } from '@crm/config';
import { runMain, ServiceKit } from '@crm/service-runtime';
import { QualificationCommands } from './application/qualification-commands';
import { qualificationConfigSchema } from './config';
import { defaultRuleSet } from './domain/rule-set';
import { qualificationServiceBinding } from './grpc/qualification-service.grpc';
import { onLeadCaptured } from './messaging/on-lead-captured.handler';
import { qualificationModel } from './store/qualification.model';
import { QualificationRepository } from './store/qualification.repository';

async function main(): Promise<void> {
  const config = loadConfig(qualificationConfigSchema);
  const kit = await ServiceKit.boot({ name: 'qualification', defaultDatabase: 'crm_qualification', env: config });

  const documents = qualificationModel(kit.mongo);
  const qualifications = new QualificationRepository(documents);
  const relay = kit.startOutboxRelay([documents]);
  const commands = new QualificationCommands(qualifications, relay);

  await kit.consume('qualification.lead-events', {
    'lead.captured': onLeadCaptured({ qualifications, ruleSet: () => defaultRuleSet, relay, logger: kit.logger }),
  });
  await kit.serve({ grpc: [qualificationServiceBinding({ commands, logger: kit.logger })] });
}

runMain(main);

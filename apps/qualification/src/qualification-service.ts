import type { z } from 'zod';
import { ServiceKit, type StartedService, type StartOptions } from '@crm/service-runtime';
import { QualificationCommands } from './application/qualification-commands';
import type { qualificationConfigSchema } from './config';
import { defaultRuleSet } from './domain/rule-set';
import { qualificationServiceBinding } from './grpc/qualification-service.grpc';
import { onLeadCaptured } from './messaging/on-lead-captured.handler';
import { qualificationModel } from './store/qualification.model';
import { QualificationRepository } from './store/qualification.repository';

export type QualificationConfig = z.output<typeof qualificationConfigSchema>;

// The durable name of the consumer of lead-intake's events: names its queue, dead-letter queue and inbox records.
export const leadEventsConsumer = 'qualification.lead-events';

// The composition root: wires the store, the handlers and the gRPC service on the ServiceKit, then serves.
export async function startQualification(config: QualificationConfig, options: StartOptions = {}): Promise<StartedService> {
  const kit = await ServiceKit.boot({
    name: 'qualification',
    defaultDatabase: 'crm_qualification',
    env: config,
    handleSignals: options.handleSignals,
  });

  const documents = qualificationModel(kit.mongo);
  const qualifications = new QualificationRepository(documents);
  const relay = kit.startOutboxRelay([documents]);
  const commands = new QualificationCommands(qualifications, relay);

  await kit.consume(leadEventsConsumer, {
    'lead.captured': onLeadCaptured({ qualifications, ruleSet: () => defaultRuleSet, relay, logger: kit.logger }),
  });
  const ports = await kit.serve({ grpc: [qualificationServiceBinding({ commands, logger: kit.logger })] });
  return { kit, ...ports };
}

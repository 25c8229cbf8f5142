import { ServiceKit, type StartedService, type StartOptions } from '@crm/service-runtime';
import { LeadIntake } from './application/lead-intake';
import type { LeadIntakeConfig } from './config';
import { leadServiceBinding } from './grpc/lead-service.grpc';
import { ApiKeys } from './http/api-keys';
import { leadRoutes } from './http/lead.routes';
import { onDealOpened } from './messaging/on-deal-opened.handler';
import { onQualificationDecided } from './messaging/on-qualification-decided.handler';
import { leadModel } from './store/lead.model';
import { LeadRepository } from './store/lead.repository';

// The durable name of the consumer of qualification's and deals' events: names its queue, dead-letter queue and inbox.
export const leadStatusConsumer = 'lead-intake.lead-status';

// Wires lead-intake: its store, the outbox relay, the status consumer, the intake HTTP API and gRPC LeadService.
export async function startLeadIntake(config: LeadIntakeConfig, options: StartOptions = {}): Promise<StartedService> {
  const kit = await ServiceKit.boot({ name: 'lead-intake', defaultDatabase: 'crm_lead_intake', env: config, handleSignals: options.handleSignals });
  if (config.INTAKE_API_KEYS.length === 0) kit.logger.warn('INTAKE_API_KEYS is empty: every intake request will be refused');

  const leadDocuments = leadModel(kit.mongo);
  const leads = new LeadRepository(leadDocuments);
  const relay = kit.startOutboxRelay([leadDocuments]);
  const intake = new LeadIntake(leads, relay);

  await kit.consume(leadStatusConsumer, {
    'lead.qualified': onQualificationDecided(leads),
    'lead.disqualified': onQualificationDecided(leads),
    'deal.opened': onDealOpened(leads),
  });
  const ports = await kit.serve({
    grpc: [leadServiceBinding({ intake, leads, logger: kit.logger })],
    routes: (app) =>
      leadRoutes(app, { intake, leads, apiKeys: new ApiKeys(config.INTAKE_API_KEYS), maxBodyBytes: config.INTAKE_MAX_BODY_BYTES }),
  });
  return { kit, ...ports };
}

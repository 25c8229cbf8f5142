import type { z } from 'zod';
import { onLeadErased } from '@crm/messaging';
import { leadEventsConsumer } from './messaging/lead-events.consumer';
import { ServiceKit, systemClock, type StartedService, type StartOptions } from '@crm/service-runtime';
import { LeadScoring } from './application/lead-scoring';
import { QualificationCommands } from './application/qualification-commands';
import { QualificationErasure } from './application/qualification-erasure';
import { RuleSetCatalog } from './application/rule-set-catalog';
import type { qualificationConfigSchema } from './config';
import { qualificationServiceBinding } from './grpc/qualification-service.grpc';
import { onLeadSnapshot } from './messaging/on-lead-snapshot.handler';
import { qualificationModel } from './store/qualification.model';
import { QualificationRepository } from './store/qualification.repository';
import { ruleSetModel } from './store/rule-set.model';
import { RuleSetRepository } from './store/rule-set.repository';

export type QualificationConfig = z.output<typeof qualificationConfigSchema>;

export { leadEventsConsumer } from './messaging/lead-events.consumer';

// The composition root: wires the store, the handlers and the gRPC service on the ServiceKit, then serves.
export async function startQualification(config: QualificationConfig, options: StartOptions = {}): Promise<StartedService> {
  const kit = await ServiceKit.boot({
    name: 'qualification',
    defaultDatabase: 'crm_qualification',
    env: config,
    handleSignals: options.handleSignals,
  });
  const now = options.clock ?? systemClock;

  const documents = qualificationModel(kit.mongo);
  const qualifications = new QualificationRepository(documents);
  const ruleSetDocuments = ruleSetModel(kit.mongo);
  // The unique keys that keep rule set versions apart must exist before the first version is written.
  await ruleSetDocuments.init();
  const ruleSets = new RuleSetCatalog(new RuleSetRepository(ruleSetDocuments), config.RULE_SET_CACHE_MS, kit.logger, now);
  await ruleSets.seedDefault();
  const relay = kit.startOutboxRelay(documents);
  const commands = new QualificationCommands(qualifications, relay, now);
  const scoring = new LeadScoring(qualifications, ruleSets, relay, kit.logger, now);
  const erasure = new QualificationErasure(qualifications, kit.logger);

  const captureToDecision = kit.latency(
    'crm_lead_capture_to_decision_seconds',
    "From a lead's capture to its first qualification decision",
  );
  await kit.consume(leadEventsConsumer, {
    'lead.captured': onLeadSnapshot(scoring, captureToDecision),
    'lead.updated': onLeadSnapshot(scoring, captureToDecision),
    'lead.erased': onLeadErased(
      (leadId, at) => erasure.erase(leadId, at),
      (leadId) => kit.eraseKeptMessages(leadId),
    ),
  });
  const ports = await kit.serve({ grpc: [qualificationServiceBinding({ commands, ruleSets, logger: kit.logger })] });
  return { kit, ...ports };
}

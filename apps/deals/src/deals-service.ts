import { grpcPeerOf } from '@crm/config';
import { onLeadErased } from '@crm/messaging';
import { leadQualifiedConsumer } from './messaging/lead-qualified.consumer';
import { ServiceKit, systemClock, type StartedService, type StartOptions } from '@crm/service-runtime';
import { ActivityCommands } from './application/activity-commands';
import { DealErasure } from './application/deal-erasure';
import { DealCommands } from './application/deal-commands';
import { DealOpening } from './application/deal-opening';
import { PipelineCommands } from './application/pipeline-commands';
import type { DealsConfig } from './config';
import { defaultPipelineId, defaultSalesPipeline } from './domain/pipeline';
import { dealServiceBinding } from './grpc/deal-service.grpc';
import { QualificationGateway } from './grpc/qualification.client';
import { onLeadQualified } from './messaging/on-lead-qualified.handler';
import { counterModel, dealModel } from './store/deal.model';
import { DealRepository } from './store/deal.repository';
import { erasedLeadModel } from './store/erased-lead.model';
import { ErasedLeadRepository } from './store/erased-lead.repository';
import { pipelineModel } from './store/pipeline.model';
import { PipelineRepository } from './store/pipeline.repository';

export { leadQualifiedConsumer } from './messaging/lead-qualified.consumer';

// Wires the deals service: its store, the default pipeline, the outbox relay, the lead.qualified consumer and
// the gRPC API.
export async function startDeals(config: DealsConfig, options: StartOptions = {}): Promise<StartedService> {
  const kit = await ServiceKit.boot({ name: 'deals', defaultDatabase: 'crm_deals', env: config, handleSignals: options.handleSignals });
  const now = options.clock ?? systemClock;

  const dealDocuments = dealModel(kit.mongo);
  const deals = new DealRepository(dealDocuments, counterModel(kit.mongo));
  const pipelines = new PipelineRepository(pipelineModel(kit.mongo), config.PIPELINE_CACHE_MS);
  await pipelines.seedDefault(defaultPipelineId, defaultSalesPipeline, now());
  const relay = kit.startOutboxRelay(dealDocuments);

  const qualification = new QualificationGateway(grpcPeerOf(config, 'QUALIFICATION'));
  if (!config.QUALIFICATION_GRPC_TOKEN)
    kit.logger.warn('QUALIFICATION_GRPC_TOKEN is empty: qualification will refuse every OpenDeal check');
  kit.lifecycle.onStop('qualification client', () => qualification.close());

  const erasure = new DealErasure(deals, new ErasedLeadRepository(erasedLeadModel(kit.mongo)), kit.logger);
  const opening = new DealOpening({
    deals,
    pipelines,
    relay,
    qualification,
    erasure,
    valuePolicy: { currency: config.DEFAULT_CURRENCY, valueByInterest: config.DEAL_VALUE_BY_INTEREST },
    owners: config.DEAL_OWNERS,
    now,
  });
  const commands = new DealCommands(deals, pipelines, relay, { lostReasons: config.LOST_REASONS, now });

  const delays = {
    sinceDecision: kit.latency('crm_lead_decision_to_deal_seconds', "From a lead's qualification to its deal opening"),
    sinceCapture: kit.latency('crm_lead_capture_to_deal_seconds', "From a lead's capture to its deal opening"),
  };
  await kit.consume(leadQualifiedConsumer, {
    'lead.qualified': onLeadQualified({ opening, logger: kit.logger, delays }),
    'lead.erased': onLeadErased(
      (leadId, at) => erasure.erase(leadId, at),
      (leadId) => kit.eraseKeptMessages(leadId),
    ),
  });
  const ports = await kit.serve({
    grpc: [
      dealServiceBinding({
        commands,
        opening,
        pipelines: new PipelineCommands(pipelines, deals, now),
        activities: new ActivityCommands(deals, pipelines, now),
        now,
        logger: kit.logger,
      }),
    ],
  });
  return { kit, ...ports };
}

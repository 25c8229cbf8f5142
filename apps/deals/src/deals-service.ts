import { ServiceKit, type StartedService, type StartOptions } from '@crm/service-runtime';
import { DealCommands } from './application/deal-commands';
import type { DealsConfig } from './config';
import { defaultSalesPipeline } from './domain/pipeline';
import { dealServiceBinding } from './grpc/deal-service.grpc';
import { onLeadQualified } from './messaging/on-lead-qualified.handler';
import { counterModel, dealModel } from './store/deal.model';
import { DealRepository } from './store/deal.repository';

// The durable name of the consumer of lead.qualified: names its queue, dead-letter queue and inbox records.
export const leadQualifiedConsumer = 'deals.lead-qualified';

// Wires the deals service: its store, the outbox relay, the lead.qualified consumer and the gRPC API.
export async function startDeals(config: DealsConfig, options: StartOptions = {}): Promise<StartedService> {
  const kit = await ServiceKit.boot({ name: 'deals', defaultDatabase: 'crm_deals', env: config, handleSignals: options.handleSignals });

  const dealDocuments = dealModel(kit.mongo);
  const deals = new DealRepository(dealDocuments, counterModel(kit.mongo));
  const pipelines = new Map([[defaultSalesPipeline.id, defaultSalesPipeline]]);
  const relay = kit.startOutboxRelay([dealDocuments]);
  const policy = {
    pipeline: defaultSalesPipeline,
    currency: config.DEFAULT_CURRENCY,
    valueByInterest: config.DEAL_VALUE_BY_INTEREST,
    owners: config.DEAL_OWNERS,
  };
  const commands = new DealCommands(deals, (id) => pipelines.get(id), relay);

  await kit.consume(leadQualifiedConsumer, {
    'lead.qualified': onLeadQualified({ deals, policy, relay, logger: kit.logger }),
  });
  const ports = await kit.serve({ grpc: [dealServiceBinding({ commands, deals, logger: kit.logger })] });
  return { kit, ...ports };
}

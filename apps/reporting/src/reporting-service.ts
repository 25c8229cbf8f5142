import type { z } from 'zod';
import { ServiceKit, type StartedService, type StartOptions } from '@crm/service-runtime';
import type { reportingConfigSchema } from './config';
import { reportingServiceBinding } from './grpc/reporting-service.grpc';
import { funnelHandlers } from './messaging/on-funnel-event.handler';
import { leadJourneyModel } from './store/lead-journey.model';
import { LeadJourneyRepository } from './store/lead-journey.repository';

export type ReportingConfig = z.output<typeof reportingConfigSchema>;

// The durable name of the consumer of every funnel event: names its queue, dead-letter queue and inbox records.
export const funnelConsumer = 'reporting.funnel';

// The composition root: wires the journey store, the funnel consumer and the gRPC service on the ServiceKit, then serves.
export async function startReporting(config: ReportingConfig, options: StartOptions = {}): Promise<StartedService> {
  const kit = await ServiceKit.boot({ name: 'reporting', defaultDatabase: 'crm_reporting', env: config, handleSignals: options.handleSignals });

  const journeys = new LeadJourneyRepository(leadJourneyModel(kit.mongo));
  await kit.consume(funnelConsumer, funnelHandlers(journeys));
  const ports = await kit.serve({ grpc: [reportingServiceBinding({ journeys, logger: kit.logger })] });
  return { kit, ...ports };
}

import { loadConfig } from '@crm/config';
import { runMain, ServiceKit } from '@crm/service-runtime';
import { reportingConfigSchema } from './config';
import { reportingServiceBinding } from './grpc/reporting-service.grpc';
import { funnelHandlers } from './messaging/on-funnel-event.handler';
import { leadJourneyModel } from './store/lead-journey.model';
import { LeadJourneyRepository } from './store/lead-journey.repository';

async function main(): Promise<void> {
  const config = loadConfig(reportingConfigSchema);
  const kit = await ServiceKit.boot({ name: 'reporting', defaultDatabase: 'crm_reporting', env: config });

  const journeys = new LeadJourneyRepository(leadJourneyModel(kit.mongo));
  await kit.consume('reporting.funnel', funnelHandlers(journeys));
  await kit.serve({ grpc: [reportingServiceBinding({ journeys, logger: kit.logger })] });
}

runMain(main);

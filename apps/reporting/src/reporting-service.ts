import type { Connection } from 'mongoose';
import type { z } from 'zod';
import { createLogger } from '@crm/logging';
import { onLeadErased } from '@crm/messaging';
import { openMongo } from '@crm/persistence';
import { ApiKeys } from '@crm/access';
import { funnelConsumer } from './messaging/funnel.consumer';
import { requireApiKey, ServiceKit, type StartedService, type StartOptions } from '@crm/service-runtime';
import { EventRecorder } from './application/event-recorder';
import { Projector } from './application/projector';
import { rebuildProjections, type RebuildResult } from './application/rebuild-projections';
import { ReportQueries } from './application/report-queries';
import type { reportingConfigSchema } from './config';
import { reportingServiceBinding } from './grpc/reporting-service.grpc';
import { dashboardRoutes } from './http/dashboard.routes';
import { reportRoutes } from './http/reports.routes';
import { funnelHandlers } from './messaging/on-funnel-event.handler';
import { dealViewModel } from './store/deal-view.model';
import { DealViewRepository } from './store/deal-view.repository';
import { loggedEventModel } from './store/event-log.model';
import { EventLogRepository } from './store/event-log.repository';
import { leadJourneyModel } from './store/lead-journey.model';
import { LeadJourneyRepository } from './store/lead-journey.repository';

export type ReportingConfig = z.output<typeof reportingConfigSchema>;

export { funnelConsumer } from './messaging/funnel.consumer';

const database = 'crm_reporting';

// Reporting's database: the event log and the read models built from it, with what reads and writes them. Reports
// are shared for `reportCacheMs` (see ReportCache); 0, for tools and tests, computes each one when asked.
export function reportingStore(connection: Connection, reportCacheMs = 0) {
  const journeys = new LeadJourneyRepository(leadJourneyModel(connection));
  const deals = new DealViewRepository(dealViewModel(connection));
  return {
    log: new EventLogRepository(loggedEventModel(connection)),
    projector: new Projector(journeys, deals),
    reports: new ReportQueries(journeys, deals, reportCacheMs),
  };
}

// The composition root: wires the event log, the projections, their consumer, gRPC and HTTP on the ServiceKit.
export async function startReporting(config: ReportingConfig, options: StartOptions = {}): Promise<StartedService> {
  const kit = await ServiceKit.boot({ name: 'reporting', defaultDatabase: database, env: config, handleSignals: options.handleSignals });

  const { log, projector, reports } = reportingStore(kit.mongo, config.REPORT_CACHE_MS);
  if (config.REPORTS_API_KEYS.length === 0) kit.logger.warn('REPORTS_API_KEYS is empty: every report request will be refused');
  // The event log keeps an event once and the projections ignore a repeat (see applyFunnelEvent), so a message may
  // be handled again: the inbox only records what was handled.
  await kit.consume(
    funnelConsumer,
    {
      ...funnelHandlers(new EventRecorder(log, projector)),
      // Reporting keeps nothing personal; only the dead letters it keeps may hold the person.
      'lead.erased': onLeadErased((leadId) => kit.eraseKeptMessages(leadId)),
    },
    { deduplication: 'record' },
  );
  const ports = await kit.serve({
    grpc: [reportingServiceBinding({ reports, logger: kit.logger })],
    routes: (app) => {
      // The dashboard's page holds no figure and is public; its data come from the reports, which need a key.
      dashboardRoutes(app);
      app.use('/v1/reports', requireApiKey(new ApiKeys(config.REPORTS_API_KEYS)));
      reportRoutes(reports)(app);
    },
  });
  return { kit, ...ports };
}

// Rebuilds every projection from the event log in reporting's database; needs MongoDB only.
export async function rebuildReporting(config: Pick<ReportingConfig, 'MONGO_URL' | 'LOG_LEVEL'>): Promise<RebuildResult> {
  const connection = openMongo({ url: config.MONGO_URL, defaultDatabase: database });
  try {
    await connection.asPromise();
    const { log, projector } = reportingStore(connection);
    return await rebuildProjections(log, projector, createLogger('reporting', config.LOG_LEVEL));
  } finally {
    await connection.close();
  }
}

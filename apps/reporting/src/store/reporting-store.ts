import type { Connection } from 'mongoose';
import { Projector } from '../application/projector';
import { ReportQueries } from '../application/report-queries';
import { dealViewModel } from './deal-view.model';
import { DealViewRepository } from './deal-view.repository';
import { loggedEventModel } from './event-log.model';
import { EventLogRepository } from './event-log.repository';
import { leadJourneyModel } from './lead-journey.model';
import { LeadJourneyRepository } from './lead-journey.repository';

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

import { ReportingServiceService, type ReportingServiceServer } from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { LeadJourneyRepository } from '../store/lead-journey.repository';

export function reportingServiceBinding(deps: { journeys: LeadJourneyRepository; logger: Logger }): GrpcServiceBinding {
  const { journeys, logger } = deps;
  const implementation: ReportingServiceServer = {
    getFunnel: unary(logger, async (req) => {
      if (req.from && req.to && req.from >= req.to) {
        throw new ValidationError([{ field: 'to', rule: 'after-from', message: 'must be later than from' }]);
      }
      const funnel = await journeys.funnel({ from: req.from, to: req.to, source: req.source || undefined });
      return {
        funnel: {
          leadsCaptured: String(funnel.leadsCaptured),
          leadsQualified: String(funnel.leadsQualified),
          leadsDisqualified: String(funnel.leadsDisqualified),
          dealsOpened: String(funnel.dealsOpened),
          dealsWon: String(funnel.dealsWon),
          dealsLost: String(funnel.dealsLost),
        },
      };
    }),
  };
  return { name: 'crm.v1.ReportingService', definition: ReportingServiceService, implementation };
}

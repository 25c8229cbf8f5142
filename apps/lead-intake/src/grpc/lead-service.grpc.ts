import { LeadServiceService, type LeadServiceServer } from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { LeadIntake } from '../application/lead-intake';
import type { LeadRepository } from '../store/lead.repository';
import { leadPriorityFromProto, leadStatusFromProto, toProtoLead } from './lead.mapper';

function enumFilter<T>(field: string, value: number, convert: (v: number) => T | undefined): T | undefined {
  if (value === 0) return undefined;
  const converted = convert(value);
  if (converted === undefined) throw new ValidationError([{ field, rule: 'enum', message: `${value} is not a valid value` }]);
  return converted;
}

export function leadServiceBinding(deps: { intake: LeadIntake; leads: LeadRepository; logger: Logger }): GrpcServiceBinding {
  const { intake, leads, logger } = deps;
  const implementation: LeadServiceServer = {
    getLead: unary(logger, async (req) => {
      if (req.id.trim() === '') throw new ValidationError([{ field: 'id', rule: 'required', message: 'is required' }]);
      return { lead: toProtoLead(await intake.get(req.id)) };
    }),
    listLeads: unary(logger, async (req) => {
      const page = await leads.list(
        {
          source: req.source || undefined,
          tag: req.tag || undefined,
          priority: enumFilter('priority', req.priority, leadPriorityFromProto),
          status: enumFilter('status', req.status, leadStatusFromProto),
        },
        { pageSize: req.pageSize, pageToken: req.pageToken },
      );
      return { leads: page.leads.map(toProtoLead), nextPageToken: page.nextPageToken };
    }),
  };
  return { name: 'crm.v1.LeadService', definition: LeadServiceService, implementation };
}

import type { ExportLeadResponse } from '@crm/contracts';
import type { LeadExport } from '../application/export-lead';
import { toProtoLead } from '../wire/lead.mapper';

export function toProtoExport(exported: LeadExport): ExportLeadResponse {
  return {
    exportedAt: exported.exportedAt,
    lead: toProtoLead(exported.lead),
    qualification: exported.qualification,
    deals: exported.deals,
  };
}

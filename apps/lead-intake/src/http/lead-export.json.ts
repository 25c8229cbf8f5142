import { DealRecord, Qualification } from '@crm/contracts';
import type { LeadExport } from '../application/export-lead';
import { leadJson } from './lead.json';

// The export as one JSON document: the lead as the API shows it, and qualification's and deals' records in their
// contracts' JSON form (proto field names in camelCase, enums by name).
export function leadExportJson(exported: LeadExport) {
  return {
    exportedAt: exported.exportedAt.toISOString(),
    lead: leadJson(exported.lead),
    qualification: exported.qualification ? Qualification.toJSON(exported.qualification) : null,
    deals: exported.deals.map((record) => DealRecord.toJSON(record)),
  };
}

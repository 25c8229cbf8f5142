import type { MethodScopes } from '@crm/service-runtime';

// What a caller's token must allow for each LeadService method (GRPC_CLIENT_SCOPES).
export const leadServiceScopes: MethodScopes = {
  getLead: 'read',
  listLeads: 'read',
  updateLead: 'write',
  exportLead: 'read',
  // Irreversible, so above an edit.
  eraseLead: 'admin',
};

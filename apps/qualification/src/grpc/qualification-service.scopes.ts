import type { MethodScopes } from '@crm/service-runtime';

// What a caller's token must allow for each QualificationService method (GRPC_CLIENT_SCOPES).
export const qualificationServiceScopes: MethodScopes = {
  getQualification: 'read',
  getRuleSet: 'read',
  listRuleSetVersions: 'read',
  qualifyLead: 'write',
  replaceRuleSet: 'admin',
};

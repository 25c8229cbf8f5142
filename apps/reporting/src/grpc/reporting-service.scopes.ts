import type { MethodScopes } from '@crm/service-runtime';

// What a caller's token must allow for each ReportingService method (GRPC_CLIENT_SCOPES): all reads.
export const reportingServiceScopes: MethodScopes = {
  getFunnel: 'read',
  getPipeline: 'read',
  getSourcePerformance: 'read',
  getCycleTimes: 'read',
  getLostReasons: 'read',
};

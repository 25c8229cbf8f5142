import type { MethodScopes } from '@crm/service-runtime';

// What a caller's token must allow for each DealService method (GRPC_CLIENT_SCOPES).
export const dealServiceScopes: MethodScopes = {
  getDeal: 'read',
  listDeals: 'read',
  listActivities: 'read',
  getPipeline: 'read',
  listPipelines: 'read',
  openDeal: 'write',
  moveDealStage: 'write',
  winDeal: 'write',
  loseDeal: 'write',
  reopenDeal: 'write',
  addActivity: 'write',
  createPipeline: 'admin',
  updatePipeline: 'admin',
};

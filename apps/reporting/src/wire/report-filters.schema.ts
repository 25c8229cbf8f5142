import { z } from 'zod';

// The bounds of a report's filters, one definition for gRPC and HTTP so neither adapter lets through what the
// other refuses.
export const sourceFilter = z.string().max(200).optional();
export const pipelineIdFilter = z.string().max(200).optional();
export const reportFilters = z.object({ source: sourceFilter, pipelineId: pipelineIdFilter });

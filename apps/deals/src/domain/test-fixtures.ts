import type { Deal } from './deal';
import { openDeal, type QualifiedLead } from './open-deal';
import { defaultPipelineId, defaultSalesPipeline, type Pipeline } from './pipeline';

// Shared by the domain specs: the default pipeline as stored, and a deal just opened in it.
export const salesPipeline: Pipeline = {
  id: defaultPipelineId,
  ...defaultSalesPipeline,
  isDefault: true,
  version: 1,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  createdBy: 'system',
  updatedBy: 'system',
};

export const aLead: QualifiedLead = { leadId: 'l1', name: 'Ana', company: 'Acme', interest: 'CRM', sourceChannel: 'web-form' };

export function openedDeal(now: Date, lead: QualifiedLead = aLead): Deal {
  return openDeal(
    'd1',
    lead,
    {
      pipelineId: salesPipeline.id,
      pipeline: salesPipeline,
      assignment: { owner: 'ana', reason: 'round-robin 1 of 2' },
      openedBy: 'system',
    },
    { currency: 'EUR', valueByInterest: {} },
    now,
  );
}

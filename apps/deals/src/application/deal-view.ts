import { InvariantViolationError, NotFoundError } from '@crm/errors';
import type { Deal } from '../domain/deal';
import type { Pipeline } from '../domain/pipeline';
import type { PipelineRepository } from '../store/pipeline.repository';

// A deal with the pipeline it lives in: what the API needs to show its stage probability and staleness.
export interface DealView {
  deal: Deal;
  pipeline: Pipeline;
}

export type Clock = () => Date;

export async function pipelineOf(pipelines: PipelineRepository, deal: Deal): Promise<Pipeline> {
  const pipeline = await pipelines.findById(deal.pipelineId);
  // Pipelines are never deleted, so this is corrupt data rather than bad input.
  if (!pipeline)
    throw new InvariantViolationError('DEAL_PIPELINE_MISSING', `deal ${deal.id} refers to unknown pipeline ${deal.pipelineId}`);
  return pipeline;
}

export async function requirePipeline(pipelines: PipelineRepository, id: string): Promise<Pipeline> {
  const pipeline = await pipelines.findById(id);
  if (!pipeline) throw new NotFoundError('PIPELINE_NOT_FOUND', 'pipeline', id);
  return pipeline;
}

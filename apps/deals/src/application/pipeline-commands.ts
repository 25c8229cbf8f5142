import { AlreadyExistsError, ConcurrencyConflictError, PreconditionFailedError, ValidationError } from '@crm/errors';
import { randomUUID } from 'node:crypto';
import { requireVersion, type ExpectedVersion } from '../domain/expected-version';
import { isPipelineId, removedStages, validatePipeline, type Pipeline, type PipelineDefinition } from '../domain/pipeline';
import type { DealRepository } from '../store/deal.repository';
import type { PipelineRepository } from '../store/pipeline.repository';
import { requirePipeline, type Clock } from './deal-view';

// Creating, reading and changing pipelines. A change may not leave open deals in a stage it removes.
export class PipelineCommands {
  constructor(
    private readonly pipelines: PipelineRepository,
    private readonly deals: DealRepository,
    private readonly now: Clock,
  ) {}

  list(): Promise<Pipeline[]> {
    return this.pipelines.list();
  }

  get(id: string): Promise<Pipeline> {
    if (id.trim() === '') throw new ValidationError('REQUEST_INVALID', [{ field: 'id', rule: 'required', message: 'is required' }]);
    return requirePipeline(this.pipelines, id);
  }

  // `actor` is who makes the change, as recorded on the pipeline.
  async create(requestedId: string, definition: PipelineDefinition, actor: string): Promise<Pipeline> {
    const id = requestedId.trim() || randomUUID();
    if (!isPipelineId(id)) {
      throw new ValidationError('PIPELINE_INVALID', [
        { field: 'id', rule: 'pattern', message: 'must be lower-case letters, digits, "-" or "_" (at most 64)' },
      ]);
    }
    const now = this.now();
    const pipeline: Pipeline = {
      id,
      ...validatePipeline(definition),
      isDefault: false,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: actor,
      updatedBy: actor,
    };
    if (!(await this.pipelines.insert(pipeline))) throw new AlreadyExistsError('PIPELINE_EXISTS', `pipeline ${id} already exists`);
    return pipeline;
  }

  async update(id: string, definition: PipelineDefinition, expected: ExpectedVersion, actor: string): Promise<Pipeline> {
    const current = await this.get(id);
    requireVersion(`pipeline ${id}`, current.version, expected);
    const next = validatePipeline(definition);
    const removed = removedStages(current, next);
    if (removed.length > 0) {
      const orphans = await this.deals.countOpenInStages(id, removed);
      if (orphans > 0) {
        throw new PreconditionFailedError(
          'STAGE_IN_USE',
          `${orphans} open deal(s) of pipeline ${id} are in stage(s) ${removed.join(', ')}; move them before removing those stages`,
        );
      }
    }
    const now = this.now();
    if (!(await this.pipelines.replace(id, next, current.version, now, actor))) {
      throw new ConcurrencyConflictError('CONCURRENT_UPDATE', `pipeline ${id} was changed concurrently; reload and retry`);
    }
    return { ...current, ...next, version: current.version + 1, updatedAt: now, updatedBy: actor };
  }
}

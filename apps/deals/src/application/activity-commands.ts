import { randomUUID } from 'node:crypto';
import { NotFoundError, PreconditionFailedError } from '@crm/errors';
import { activityBytes, activityRefusal, newActivity, type Activity, type ActivityInput } from '../domain/activity';
import type { DealRepository } from '../store/deal.repository';
import type { PipelineRepository } from '../store/pipeline.repository';
import { pipelineOf, type Clock, type DealView } from './deal-view';

// The interactions with the customer recorded on a deal: calls, e-mails, meetings, notes and proposals.
export class ActivityCommands {
  constructor(
    private readonly deals: DealRepository,
    private readonly pipelines: PipelineRepository,
    private readonly now: Clock,
  ) {}

  async add(dealId: string, input: ActivityInput): Promise<DealView & { activity: Activity }> {
    const activity = newActivity(randomUUID(), input, this.now());
    const size = activityBytes(activity);
    const deal = await this.deals.appendActivity(dealId, activity, size);
    if (!deal) {
      const current = await this.deals.findById(dealId);
      if (!current) throw new NotFoundError('DEAL_NOT_FOUND', 'deal', dealId);
      if (current.erasedAt)
        throw new PreconditionFailedError('DEAL_LEAD_ERASED', `deal ${dealId} belongs to an erased lead: it takes no new activity`);
      // The store's atomic check refused it; activities are never removed, so re-reading tells which limit did.
      const why = activityRefusal({ count: current.activityCount, bytes: current.activityBytes }, size) ?? 'has no room for this activity';
      throw new PreconditionFailedError('ACTIVITY_LIMIT_REACHED', `deal ${dealId} ${why}`);
    }
    return { deal, pipeline: await pipelineOf(this.pipelines, deal), activity };
  }

  async list(dealId: string): Promise<Activity[]> {
    const activities = await this.deals.activitiesOf(dealId);
    if (!activities) throw new NotFoundError('DEAL_NOT_FOUND', 'deal', dealId);
    return activities;
  }
}

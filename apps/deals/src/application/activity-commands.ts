import { randomUUID } from 'node:crypto';
import { NotFoundError, PreconditionFailedError } from '@crm/errors';
import { maxActivitiesPerDeal, newActivity, type Activity, type ActivityInput } from '../domain/activity';
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
    const deal = await this.deals.appendActivity(dealId, activity, maxActivitiesPerDeal);
    if (!deal) {
      if (!(await this.deals.findById(dealId))) throw new NotFoundError('deal', dealId);
      throw new PreconditionFailedError(`deal ${dealId} has reached ${maxActivitiesPerDeal} activities`);
    }
    return { deal, pipeline: await pipelineOf(this.pipelines, deal), activity };
  }

  async list(dealId: string): Promise<Activity[]> {
    const activities = await this.deals.activitiesOf(dealId);
    if (!activities) throw new NotFoundError('deal', dealId);
    return activities;
  }
}

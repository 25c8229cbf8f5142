import { DealServiceService, StaleFilter, type DealServiceServer } from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { actorOf, parseOrThrow, unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { ActivityCommands } from '../application/activity-commands';
import type { DealCommands } from '../application/deal-commands';
import type { DealOpening } from '../application/deal-opening';
import type { Clock, DealView } from '../application/deal-view';
import type { PipelineCommands } from '../application/pipeline-commands';
import { dealStatusFromProto, toProtoDeal } from '../wire/deal.mapper';
import { moneyFromProto } from '../wire/money.mapper';
import { definitionFromProto, toProtoPipeline } from '../wire/pipeline.mapper';
import { activityInputFromProto, toProtoActivity } from './activity.mapper';
import { dealServiceScopes } from './deal-service.scopes';
import {
  dealCommandRequest,
  listDealsRange,
  loseRequest,
  moveRequest,
  openRequest,
  pipelineUpdate,
  byDealId,
  byId,
} from './deal-requests.schema';

export interface DealServiceDeps {
  commands: DealCommands;
  opening: DealOpening;
  pipelines: PipelineCommands;
  activities: ActivityCommands;
  now: Clock;
  logger: Logger;
}

function staleFilterOf(filter: StaleFilter): boolean | undefined {
  if (filter === StaleFilter.STALE_FILTER_UNSPECIFIED) return undefined;
  if (filter === StaleFilter.STALE_FILTER_STALE) return true;
  if (filter === StaleFilter.STALE_FILTER_FRESH) return false;
  throw new ValidationError('REQUEST_INVALID', [{ field: 'stale', rule: 'enum', message: 'is not a stale filter' }]);
}

export function dealServiceBinding(deps: DealServiceDeps): GrpcServiceBinding {
  const { commands, opening, pipelines, activities, now, logger } = deps;
  const show = (view: DealView) => toProtoDeal(view.deal, view.pipeline, now());

  const implementation: DealServiceServer = {
    getDeal: unary(logger, async (req) => ({ deal: show(await commands.get(parseOrThrow(byId, req).id)) })),

    listDeals: unary(logger, async (req) => {
      const status = req.status ? dealStatusFromProto(req.status) : undefined;
      if (req.status && !status)
        throw new ValidationError('REQUEST_INVALID', [{ field: 'status', rule: 'enum', message: 'is not a deal status' }]);
      const range = parseOrThrow(listDealsRange, req);
      const page = await commands.list(
        {
          leadId: req.leadId || undefined,
          stage: req.stage || undefined,
          status,
          pipelineId: req.pipelineId || undefined,
          owner: req.owner || undefined,
          expectedCloseFrom: range.expectedCloseFrom || undefined,
          expectedCloseTo: range.expectedCloseTo || undefined,
          stale: staleFilterOf(req.stale),
        },
        { pageSize: req.pageSize, pageToken: req.pageToken },
      );
      return { deals: page.views.map(show), nextPageToken: page.nextPageToken };
    }),

    moveDealStage: unary(logger, async (req, call) => {
      const { dealId, stage, expectedVersion } = parseOrThrow(moveRequest, req);
      return { deal: show(await commands.moveStage(dealId, stage, expectedVersion, actorOf(call))) };
    }),

    winDeal: unary(logger, async (req, call) => {
      const { dealId, expectedVersion } = parseOrThrow(dealCommandRequest, req);
      const finalValue = req.finalValue ? moneyFromProto(req.finalValue, 'final_value') : undefined;
      return { deal: show(await commands.win(dealId, finalValue, expectedVersion, actorOf(call))) };
    }),

    loseDeal: unary(logger, async (req, call) => {
      const { dealId, reason, note, expectedVersion } = parseOrThrow(loseRequest, req);
      return { deal: show(await commands.lose(dealId, reason, note, expectedVersion, actorOf(call))) };
    }),

    reopenDeal: unary(logger, async (req, call) => {
      const { dealId, expectedVersion } = parseOrThrow(dealCommandRequest, req);
      return { deal: show(await commands.reopen(dealId, expectedVersion, actorOf(call))) };
    }),

    openDeal: unary(logger, async (req, call) => {
      const request = parseOrThrow(openRequest, req);
      const value = req.value ? moneyFromProto(req.value, 'value') : undefined;
      const actor = actorOf(call, request.actor);
      const opened = await opening.openByHand({ ...request, actor, pipelineId: request.pipelineId || undefined, value });
      return { deal: show(opened), created: opened.created };
    }),

    addActivity: unary(logger, async (req, call) => {
      const { dealId } = parseOrThrow(byDealId, req);
      const added = await activities.add(dealId, { ...activityInputFromProto(req), actor: actorOf(call, req.actor) });
      return { activity: toProtoActivity(dealId, added.activity), deal: show(added) };
    }),

    listActivities: unary(logger, async (req) => {
      const { dealId } = parseOrThrow(byDealId, req);
      return { activities: (await activities.list(dealId)).map((a) => toProtoActivity(dealId, a)) };
    }),

    createPipeline: unary(logger, async (req, call) => ({
      pipeline: toProtoPipeline(await pipelines.create(req.id, definitionFromProto(req), actorOf(call))),
    })),

    getPipeline: unary(logger, async (req) => ({ pipeline: toProtoPipeline(await pipelines.get(req.id)) })),

    listPipelines: unary(logger, async () => ({ pipelines: (await pipelines.list()).map(toProtoPipeline) })),

    updatePipeline: unary(logger, async (req, call) => {
      const { id, expectedVersion } = parseOrThrow(pipelineUpdate, req);
      return { pipeline: toProtoPipeline(await pipelines.update(id, definitionFromProto(req), expectedVersion, actorOf(call))) };
    }),
  };

  return { name: 'crm.v1.DealService', definition: DealServiceService, implementation, scopes: dealServiceScopes };
}

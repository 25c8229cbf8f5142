import { DealServiceService, type DealServiceServer } from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { DealCommands } from '../application/deal-commands';
import { money } from '../domain/money';
import type { DealRepository } from '../store/deal.repository';
import { dealStatusFromProto, toProtoDeal } from './deal.mapper';

function versionOf(value: string): number {
  const version = Number(value || '0');
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new ValidationError([{ field: 'expected_version', rule: 'integer', message: 'must be a non-negative whole number' }]);
  }
  return version;
}

function required(field: string, value: string): string {
  if (value.trim() === '') throw new ValidationError([{ field, rule: 'required', message: 'is required' }]);
  return value;
}

export function dealServiceBinding(deps: { commands: DealCommands; deals: DealRepository; logger: Logger }): GrpcServiceBinding {
  const { commands, deals, logger } = deps;
  const withPipeline = (deal: Parameters<typeof commands.pipelineOf>[0]) => toProtoDeal(deal, commands.pipelineOf(deal));

  const implementation: DealServiceServer = {
    getDeal: unary(logger, async (req) => ({ deal: withPipeline(await commands.get(req.id)) })),

    listDeals: unary(logger, async (req) => {
      const status = req.status ? dealStatusFromProto(req.status) : undefined;
      if (req.status && !status) throw new ValidationError([{ field: 'status', rule: 'enum', message: 'is not a deal status' }]);
      const page = await deals.list(
        { leadId: req.leadId || undefined, stage: req.stage || undefined, status, pipelineId: req.pipelineId || undefined },
        { pageSize: req.pageSize, pageToken: req.pageToken },
      );
      return { deals: page.deals.map(withPipeline), nextPageToken: page.nextPageToken };
    }),

    moveDealStage: unary(logger, async (req) => ({
      deal: withPipeline(await commands.moveStage(required('deal_id', req.dealId), required('stage', req.stage), versionOf(req.expectedVersion))),
    })),

    winDeal: unary(logger, async (req) => {
      const finalValue = req.finalValue ? money(req.finalValue.currencyCode, req.finalValue.amountMinor, 'final_value') : undefined;
      return { deal: withPipeline(await commands.win(required('deal_id', req.dealId), finalValue, versionOf(req.expectedVersion))) };
    }),

    loseDeal: unary(logger, async (req) => ({
      deal: withPipeline(await commands.lose(required('deal_id', req.dealId), req.reason, versionOf(req.expectedVersion))),
    })),
  };

  return { name: 'crm.v1.DealService', definition: DealServiceService, implementation };
}

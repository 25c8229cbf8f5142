import { LeadServiceService, LeadSort, TagMatch, type LeadServiceServer, type ListLeadsRequest, type UpdateLeadRequest } from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { LeadIntake } from '../application/lead-intake';
import { companySizes } from '../domain/lead';
import type { LeadPatch } from '../domain/lead-patch';
import { isCurrency } from '../domain/money';
import { tagList } from '../http/lead-body.schema';
import type { LeadFilter, LeadRepository } from '../store/lead.repository';
import { decisionRoleFromProto, leadPriorityFromProto, leadStatusFromProto, toProtoLead } from './lead.mapper';

function enumValue<T>(field: string, value: number, convert: (v: number) => T | undefined): T | undefined {
  if (value === 0) return undefined;
  const converted = convert(value);
  if (converted === undefined) throw new ValidationError([{ field, rule: 'enum', message: `${value} is not a valid value` }]);
  return converted;
}

function requireId(id: string): string {
  if (id.trim() === '') throw new ValidationError([{ field: 'id', rule: 'required', message: 'is required' }]);
  return id;
}

function tags(field: string, list: string[]): string[] {
  const parsed = tagList.safeParse(list);
  if (parsed.success) return parsed.data;
  throw new ValidationError([{ field, rule: 'tags', message: parsed.error.issues[0].message }]);
}

const tagMatches: Record<number, LeadFilter['tagMatch']> = { [TagMatch.TAG_MATCH_ANY]: 'any', [TagMatch.TAG_MATCH_ALL]: 'all' };
const sorts: Record<number, LeadFilter['sort']> = { [LeadSort.LEAD_SORT_CREATED_AT_ASC]: 'createdAt', [LeadSort.LEAD_SORT_CREATED_AT_DESC]: '-createdAt' };

function toFilter(req: ListLeadsRequest): LeadFilter {
  const tagMatch = enumValue('tag_match', req.tagMatch, (v) => tagMatches[v]);
  const sort = enumValue('sort', req.sort, (v) => sorts[v]);
  if (req.query.length > 200) throw new ValidationError([{ field: 'query', rule: 'max', message: 'must be at most 200 characters' }]);
  const allTags = tags('tags', [...(req.tag ? [req.tag] : []), ...req.tags]);
  return {
    source: req.source || undefined,
    tags: allTags.length ? allTags : undefined,
    tagMatch,
    priority: enumValue('priority', req.priority, leadPriorityFromProto),
    status: enumValue('status', req.status, leadStatusFromProto),
    createdFrom: req.createdFrom,
    createdTo: req.createdTo,
    query: req.query.trim() || undefined,
    sort,
  };
}

function toPatch(req: UpdateLeadRequest): LeadPatch {
  const violations: { field: string; rule: string; message: string }[] = [];
  if (req.replaceTags && (req.addTags.length || req.removeTags.length)) {
    violations.push({ field: 'replace_tags', rule: 'exclusive', message: 'replace the tags or add/remove some, not both' });
  }
  if (req.interest !== undefined && req.interest.trim().length > 200) violations.push({ field: 'interest', rule: 'max', message: 'must be at most 200 characters' });
  const hints = req.hints;
  if (hints?.budget && (!isCurrency(hints.budget.currencyCode) || !/^\d{1,15}$/.test(hints.budget.amountMinor))) {
    violations.push({ field: 'hints.budget', rule: 'money', message: 'needs an ISO 4217 currency and a non-negative amount in minor units' });
  }
  if (hints && (hints.timelineDays < 0 || hints.timelineDays > 3650)) violations.push({ field: 'hints.timeline_days', rule: 'range', message: 'must be 0 to 3650' });
  const companySize = companySizes.find((size) => size === hints?.companySize) ?? '';
  if (hints && hints.companySize !== companySize) {
    violations.push({ field: 'hints.company_size', rule: 'enum', message: `must be empty or one of ${companySizes.join(', ')}` });
  }
  if (violations.length) throw new ValidationError(violations);
  const editsTags = req.replaceTags !== undefined || req.addTags.length > 0 || req.removeTags.length > 0;
  return {
    tags: editsTags ? { replace: req.replaceTags && tags('replace_tags', req.replaceTags.tags), add: tags('add_tags', req.addTags), remove: tags('remove_tags', req.removeTags) } : undefined,
    priority: enumValue('priority', req.priority, leadPriorityFromProto),
    interest: req.interest?.trim(),
    hints: hints && {
      budget: hints.budget ? { currency: hints.budget.currencyCode, amountMinor: Number(hints.budget.amountMinor) } : null,
      timelineDays: hints.timelineDays || null,
      companySize,
      decisionRole: enumValue('hints.decision_role', hints.decisionRole, decisionRoleFromProto) ?? '',
    },
  };
}

export function leadServiceBinding(deps: { intake: LeadIntake; leads: LeadRepository; logger: Logger }): GrpcServiceBinding {
  const { intake, leads, logger } = deps;
  const implementation: LeadServiceServer = {
    getLead: unary(logger, async (req) => ({ lead: toProtoLead(await intake.get(requireId(req.id))) })),
    listLeads: unary(logger, async (req) => {
      const page = await leads.list(toFilter(req), { pageSize: req.pageSize, pageToken: req.pageToken });
      return { leads: page.leads.map(toProtoLead), nextPageToken: page.nextPageToken };
    }),
    updateLead: unary(logger, async (req) => {
      const { lead, changedFields } = await intake.update(requireId(req.id), toPatch(req));
      return { lead: toProtoLead(lead), changedFields };
    }),
  };
  return { name: 'crm.v1.LeadService', definition: LeadServiceService, implementation };
}

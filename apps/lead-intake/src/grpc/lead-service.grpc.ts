import {
  enumCodec,
  LeadServiceService,
  LeadSort,
  TagMatch,
  type LeadServiceServer,
  type ListLeadsRequest,
  type UpdateLeadRequest,
} from '@crm/contracts';
import { ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { actorOf, parseOrThrow, unary, type GrpcServiceBinding } from '@crm/service-runtime';
import type { EraseLead } from '../application/erase-lead';
import type { ExportLead } from '../application/export-lead';
import type { LeadIntake } from '../application/lead-intake';
import type { LeadFilter } from '../domain/lead-filter';
import type { LeadPatch } from '../domain/lead-patch';
import { tagList } from '../wire/lead-body.schema';
import { leadPatchSchema } from '../wire/lead-patch.schema';
import { erasureReasonFromProto, erasureReasonToProto } from '../wire/erasure-reason.codec';
import { toProtoExport } from './lead-export.mapper';
import { decisionRoleFromProto, leadPriorityFromProto, leadStatusFromProto, toProtoLead } from '../wire/lead.mapper';
import { leadServiceScopes } from './lead-service.scopes';

function enumValue<T>(field: string, value: number, convert: (v: number) => T | undefined): T | undefined {
  if (value === 0) return undefined;
  const converted = convert(value);
  if (converted === undefined)
    throw new ValidationError('REQUEST_INVALID', [{ field, rule: 'enum', message: `${value} is not a valid value` }]);
  return converted;
}

function requireId(id: string): string {
  if (id.trim() === '') throw new ValidationError('REQUEST_INVALID', [{ field: 'id', rule: 'required', message: 'is required' }]);
  return id;
}

function tags(field: string, list: string[]): string[] {
  const parsed = tagList.safeParse(list);
  if (parsed.success) return parsed.data;
  throw new ValidationError('REQUEST_INVALID', [{ field, rule: 'tags', message: parsed.error.issues[0].message }]);
}

const tagMatches = enumCodec<NonNullable<LeadFilter['tagMatch']>, TagMatch>({ any: TagMatch.TAG_MATCH_ANY, all: TagMatch.TAG_MATCH_ALL });
const sorts = enumCodec<NonNullable<LeadFilter['sort']>, LeadSort>({
  createdAt: LeadSort.LEAD_SORT_CREATED_AT_ASC,
  '-createdAt': LeadSort.LEAD_SORT_CREATED_AT_DESC,
});

function toFilter(req: ListLeadsRequest): LeadFilter {
  const tagMatch = enumValue('tag_match', req.tagMatch, tagMatches.fromProto);
  const sort = enumValue('sort', req.sort, sorts.fromProto);
  if (req.query.length > 200)
    throw new ValidationError('REQUEST_INVALID', [{ field: 'query', rule: 'max', message: 'must be at most 200 characters' }]);
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

// UpdateLead's request in the shape of the PATCH body, validated by the same leadPatchSchema so both follow one set
// of rules; only enums are converted here. Hints are replaced whole, as the proto says: a zero field clears one.
function toPatch(req: UpdateLeadRequest): LeadPatch {
  const hints = req.hints;
  const body = {
    tags: req.replaceTags?.tags,
    addTags: req.addTags.length > 0 ? req.addTags : undefined,
    removeTags: req.removeTags.length > 0 ? req.removeTags : undefined,
    priority: enumValue('priority', req.priority, leadPriorityFromProto),
    interest: req.interest,
    hints: hints && {
      // An int64 arrives as a decimal string; past the safe range its Number is refused by the schema's maximum.
      budget: hints.budget ? { currency: hints.budget.currencyCode, amountMinor: Number(hints.budget.amountMinor) } : null,
      timelineDays: hints.timelineDays || null,
      companySize: hints.companySize || null,
      decisionRole: enumValue('hints.decision_role', hints.decisionRole, decisionRoleFromProto) ?? null,
    },
  };
  try {
    // Absent fields are left out, as a JSON body would: the schema refuses a patch naming nothing.
    return parseOrThrow(leadPatchSchema, Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)));
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      err.reason,
      err.violations.map((violation) => ({ ...violation, field: protoFieldOf(violation.field) })),
    );
  }
}

// Names a field of the PATCH body as the proto does, for the caller's benefit.
const protoFields: Record<string, string> = { tags: 'replace_tags', 'hints.budget.currency': 'hints.budget.currency_code' };
function protoFieldOf(field: string): string {
  return protoFields[field] ?? field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function leadServiceBinding(deps: {
  intake: LeadIntake;
  erasure: EraseLead;
  exporting: ExportLead;
  logger: Logger;
}): GrpcServiceBinding {
  const { intake, erasure, exporting, logger } = deps;
  const implementation: LeadServiceServer = {
    getLead: unary(logger, async (req) => ({ lead: toProtoLead(await intake.get(requireId(req.id))) })),
    listLeads: unary(logger, async (req) => {
      const page = await intake.list(toFilter(req), { pageSize: req.pageSize, pageToken: req.pageToken });
      return { leads: page.leads.map(toProtoLead), nextPageToken: page.nextPageToken };
    }),
    updateLead: unary(logger, async (req, call) => {
      const { lead, changedFields } = await intake.update(requireId(req.id), toPatch(req), actorOf(call));
      return { lead: toProtoLead(lead), changedFields };
    }),
    exportLead: unary(logger, async (req) => toProtoExport(await exporting.export(requireId(req.id)))),
    eraseLead: unary(logger, async (req, call) => {
      // UNSPECIFIED is a person's own request, the usual ground.
      const reason = enumValue('reason', req.reason, erasureReasonFromProto) ?? 'subject-request';
      const result = await erasure.erase(requireId(req.id), reason, actorOf(call));
      return {
        id: result.leadId,
        erasedAt: result.erasure.at,
        reason: erasureReasonToProto(result.erasure.reason),
        alreadyErased: result.alreadyErased,
      };
    }),
  };
  return { name: 'crm.v1.LeadService', definition: LeadServiceService, implementation, scopes: leadServiceScopes };
}

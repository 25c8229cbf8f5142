import {
  decisionRoleCodec,
  erasureReasonCodec,
  leadPriorityCodec,
  LeadServiceService,
  leadSortCodec,
  leadStatusCodec,
  safeMoneyFromProto,
  tagMatchCodec,
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
import { toProtoExport } from './lead-export.mapper';
import { toProtoLead } from '../wire/lead.mapper';
import { leadServiceScopes } from './lead-service.scopes';

function requireId(id: string): string {
  if (id.trim() === '') throw new ValidationError('REQUEST_INVALID', [{ field: 'id', rule: 'required', message: 'is required' }]);
  return id;
}

function tags(field: string, list: string[]): string[] {
  const parsed = tagList.safeParse(list);
  if (parsed.success) return parsed.data;
  throw new ValidationError('REQUEST_INVALID', [{ field, rule: 'tags', message: parsed.error.issues[0].message }]);
}

function toFilter(req: ListLeadsRequest): LeadFilter {
  const tagMatch = tagMatchCodec.fromRequest(req.tagMatch, 'tag_match');
  const sort = leadSortCodec.fromRequest(req.sort, 'sort');
  if (req.query.length > 200)
    throw new ValidationError('REQUEST_INVALID', [{ field: 'query', rule: 'max', message: 'must be at most 200 characters' }]);
  const allTags = tags('tags', [...(req.tag ? [req.tag] : []), ...req.tags]);
  return {
    source: req.source || undefined,
    tags: allTags.length ? allTags : undefined,
    tagMatch,
    priority: leadPriorityCodec.fromRequest(req.priority, 'priority'),
    status: leadStatusCodec.fromRequest(req.status, 'status'),
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
    priority: leadPriorityCodec.fromRequest(req.priority, 'priority'),
    interest: req.interest,
    hints: hints && {
      // lead-intake keeps amounts as numbers: an int64 past the safe range is refused here, the rest by the schema.
      budget: hints.budget ? safeMoneyFromProto(hints.budget, 'hints.budget') : null,
      timelineDays: hints.timelineDays || null,
      companySize: hints.companySize || null,
      decisionRole: decisionRoleCodec.fromRequest(hints.decisionRole, 'hints.decision_role') ?? null,
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
      const reason = erasureReasonCodec.fromRequest(req.reason, 'reason') ?? 'subject-request';
      const result = await erasure.erase(requireId(req.id), reason, actorOf(call));
      return {
        id: result.leadId,
        erasedAt: result.erasure.at,
        reason: erasureReasonCodec.toProto(result.erasure.reason),
        alreadyErased: result.alreadyErased,
      };
    }),
  };
  return { name: 'crm.v1.LeadService', definition: LeadServiceService, implementation, scopes: leadServiceScopes };
}

import { ValidationError } from '@crm/errors';
import { maxTags, unite, type Lead, type LeadPriority, type QualificationHints } from './lead';

// A change a person asks for (PATCH /v1/leads/{id}, gRPC UpdateLead). Absent fields are left alone; in `hints`,
// an absent field is left alone and a null one cleared.
export interface LeadPatch {
  tags?: { replace?: string[]; add: string[]; remove: string[] };
  priority?: LeadPriority;
  interest?: string;
  hints?: Partial<QualificationHints>;
}

// Returns the changed lead and the proto names of the changed fields, or undefined when nothing changes.
// `actor` is who edits, recorded as the lead's updatedBy when anything changes.
export function applyLeadPatch(
  lead: Lead,
  patch: LeadPatch,
  now: Date,
  actor: string,
): { lead: Lead; changedFields: string[] } | undefined {
  const next: Lead = { ...lead };
  const changed: string[] = [];
  if (patch.tags) {
    const base = patch.tags.replace ?? lead.tags;
    const tags = unite(base, patch.tags.add).filter((tag) => !patch.tags!.remove.includes(tag));
    if (tags.length > maxTags)
      throw new ValidationError('LEAD_TAG_LIMIT_REACHED', [
        { field: 'tags', rule: 'max', message: `a lead carries at most ${maxTags} tags` },
      ]);
    if (!sameList(tags, lead.tags)) {
      next.tags = tags;
      changed.push('tags');
    }
  }
  if (patch.priority !== undefined && patch.priority !== lead.priority) {
    next.priority = patch.priority;
    changed.push('priority');
  }
  if (patch.interest !== undefined && patch.interest !== lead.interest) {
    next.interest = patch.interest;
    changed.push('interest');
  }
  if (patch.hints) {
    const hints = { ...lead.hints, ...patch.hints };
    if (JSON.stringify(hints) !== JSON.stringify(lead.hints)) {
      next.hints = hints;
      changed.push('hints');
    }
  }
  if (changed.length === 0) return undefined;
  return { lead: { ...next, updatedAt: now, updatedBy: actor, version: lead.version + 1 }, changedFields: changed };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

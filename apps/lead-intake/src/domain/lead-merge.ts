import { consentAsOf, maxTags, touchpointOf, unite, type Lead, type LeadCapture, type QualificationHints, type Touchpoint } from './lead';

// A lead keeps its first touchpoint and the most recent ones, so a channel posting the same person for years
// cannot grow its document without bound.
export const maxTouchpoints = 50;
export const maxCustomAttributes = 20;

export interface MergeResult {
  lead: Lead;
  // Proto field names of what changed, as lead.updated's changed_fields.
  changedFields: string[];
}

// A capture of a person the lead already is: the capture becomes a touchpoint, tags are united and empty fields
// are filled. Nothing the lead already holds is overwritten (priority, source and the first message included):
// a later, possibly careless, submission must not erase what the team has, and its own text stays in its
// touchpoint. Consent given later counts: it is a new fact, not a correction.
export function mergeCapture(
  lead: Lead,
  capture: LeadCapture,
  channel: string,
  now: Date,
  requestKey: string,
  newIdentityKeys: string[],
): MergeResult {
  const changed = new Set<string>(['touchpoints']);
  const fill = <K extends 'name' | 'email' | 'phone' | 'company' | 'jobTitle' | 'interest' | 'message'>(field: K, protoName: string) => {
    if (lead[field] !== '' || capture[field] === '') return lead[field];
    changed.add(protoName);
    return capture[field];
  };
  const merged: Lead = {
    ...lead,
    name: fill('name', 'name'),
    email: fill('email', 'email'),
    phone: fill('phone', 'phone'),
    company: fill('company', 'company'),
    jobTitle: fill('jobTitle', 'job_title'),
    interest: fill('interest', 'interest'),
    message: fill('message', 'message'),
    // The lead's own tags first: when the union is over the bound, the newest are the ones left out.
    tags: unite(lead.tags, capture.tags).slice(0, maxTags),
    consent: !lead.consent.given && capture.consent.given ? consentAsOf(capture.consent, now) : lead.consent,
    hints: fillHints(lead.hints, capture.hints),
    customAttributes: fillAttributes(lead.customAttributes, capture.customAttributes),
    touchpoints: appendTouchpoint(lead.touchpoints, touchpointOf(capture, channel, now, requestKey)),
    identityKeys: unite(lead.identityKeys, newIdentityKeys),
    updatedAt: now,
    version: lead.version + 1,
  };
  if (merged.tags.length !== lead.tags.length) changed.add('tags');
  if (merged.consent !== lead.consent) changed.add('consent');
  if (JSON.stringify(merged.hints) !== JSON.stringify(lead.hints)) changed.add('hints');
  if (Object.keys(merged.customAttributes).length !== Object.keys(lead.customAttributes).length) changed.add('custom_attributes');
  return { lead: merged, changedFields: [...changed] };
}

// The touchpoint of an earlier request with this Idempotency-Key, if the lead has one.
export function touchpointOfRequest(lead: Lead, requestKey: string): Touchpoint | undefined {
  return requestKey === '' ? undefined : lead.touchpoints.find((t) => t.requestKey === requestKey);
}

function fillHints(current: QualificationHints, given: QualificationHints): QualificationHints {
  return {
    budget: current.budget ?? given.budget,
    timelineDays: current.timelineDays ?? given.timelineDays,
    companySize: current.companySize || given.companySize,
    decisionRole: current.decisionRole || given.decisionRole,
  };
}

function fillAttributes(current: Record<string, string>, given: Record<string, string>): Record<string, string> {
  const result = { ...current };
  for (const [key, value] of Object.entries(given)) {
    if (Object.keys(result).length >= maxCustomAttributes) break;
    if (!Object.hasOwn(result, key)) result[key] = value;
  }
  return result;
}

function appendTouchpoint(touchpoints: Touchpoint[], touchpoint: Touchpoint): Touchpoint[] {
  const all = [...touchpoints, touchpoint];
  return all.length <= maxTouchpoints ? all : [all[0], ...all.slice(all.length - maxTouchpoints + 1)];
}

import type { Lead, LeadErasure, LeadStatus } from './lead';

// The statuses of a lead that never qualified: what a retention period applies to.
export const unqualifiedStatuses = ['new', 'qualifying', 'nurturing', 'disqualified'] as const satisfies LeadStatus[];

// Whether a lead's retention period ran out at `now`: it never qualified, and its last touchpoint is `days` old.
export function isPastRetention(lead: Lead, days: number, now: Date): boolean {
  if (lead.erasure || !(unqualifiedStatuses as readonly LeadStatus[]).includes(lead.status)) return false;
  const last = Math.max(lead.createdAt.getTime(), ...lead.touchpoints.map((t) => t.at.getTime()));
  return last <= retentionCutoff(days, now).getTime();
}

export function retentionCutoff(days: number, now: Date): Date {
  return new Date(now.getTime() - days * 24 * 3600 * 1000);
}

// The lead with everything that identifies or describes its person gone for good: name, e-mail, phone, company, job
// title, free text, custom attributes, the URLs it came from and its identities. What is no one's personal data stays
// (status and its history, channel and campaign, priority, tags, hints, consent as given, dates), so the lead still
// counts where it counted. Returns undefined for a lead erased already: erasing twice changes nothing.
export function eraseLead(lead: Lead, erasure: LeadErasure): Lead | undefined {
  if (lead.erasure) return undefined;
  return {
    ...lead,
    name: '',
    email: '',
    phone: '',
    company: '',
    jobTitle: '',
    message: '',
    customAttributes: {},
    source: { ...lead.source, referrer: '', landingPageUrl: '' },
    touchpoints: lead.touchpoints.map((t) => ({ ...t, message: '' })),
    identityKeys: [],
    erasure,
    updatedAt: erasure.at,
    updatedBy: erasure.by,
    version: lead.version + 1,
  };
}

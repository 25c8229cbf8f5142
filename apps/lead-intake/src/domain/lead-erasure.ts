import type { Lead, LeadErasure } from './lead';

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

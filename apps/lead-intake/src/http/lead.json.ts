import type { Lead } from '../domain/lead';

// The lead as HTTP JSON (camelCase, ISO dates, null for unknown), without internal bookkeeping. Its shape is
// described by the Lead schema of openapi.document.ts; a test checks real answers against it.
export function leadJson(lead: Lead) {
  return {
    id: lead.id,
    status: lead.status,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    jobTitle: lead.jobTitle,
    interest: lead.interest,
    message: lead.message,
    tags: lead.tags,
    priority: lead.priority,
    source: lead.source,
    consent: { given: lead.consent.given, givenAt: lead.consent.givenAt?.toISOString() ?? null, text: lead.consent.text },
    hints: {
      budget: lead.hints.budget,
      timelineDays: lead.hints.timelineDays,
      companySize: lead.hints.companySize || null,
      decisionRole: lead.hints.decisionRole || null,
    },
    customAttributes: lead.customAttributes,
    dealId: lead.dealId || null,
    statusHistory: lead.statusHistory.map((s) => ({ status: s.status, changedAt: s.changedAt.toISOString() })),
    touchpoints: lead.touchpoints.map((t) => ({
      channel: t.channel,
      at: t.at.toISOString(),
      message: t.message,
      interest: t.interest,
      campaign: t.campaign,
    })),
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
    updatedBy: lead.updatedBy || null,
  };
}

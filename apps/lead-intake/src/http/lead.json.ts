import type { Lead } from '../domain/lead';

// The lead as HTTP JSON (camelCase, ISO dates), without internal bookkeeping.
export function leadJson(lead: Lead) {
  return {
    id: lead.id,
    status: lead.status,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    interest: lead.interest,
    message: lead.message,
    tags: lead.tags,
    priority: lead.priority,
    source: lead.source,
    dealId: lead.dealId || null,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

import type { EventPayload, EventType } from './event-catalog';
import type { Deal } from './generated/crm/v1/deal';
import type { Lead } from './generated/crm/v1/lead';

// A lead as a contract message with every field that identifies or describes the person emptied: what a consumer
// that needs only the facts (channel, dates, status, priority, hints) keeps.
export function leadWithoutPersonalData(lead: Lead): Lead {
  return {
    ...lead,
    name: '',
    email: '',
    phone: '',
    company: '',
    jobTitle: '',
    message: '',
    customAttributes: {},
    consent: lead.consent && { ...lead.consent, text: '' },
    // URLs a form was on can carry the person's data in their query.
    source: lead.source && { ...lead.source, referrer: '', landingPageUrl: '' },
    touchpoints: lead.touchpoints.map((t) => ({ ...t, message: '' })),
  };
}

// A deal as a contract message without its free text, which may name the person: the title and the note of a loss.
export function dealWithoutPersonalData(deal: Deal): Deal {
  return { ...deal, title: '', lostNote: '' };
}

const lead = (value: Lead | undefined) => value && leadWithoutPersonalData(value);
const deal = (value: Deal | undefined) => value && dealWithoutPersonalData(value);

// An event's body with nothing personal left in it: the lead or deal it carries minimized, and the reason of a
// decision (a person may have written it) emptied. Every other field stays, so whatever is computed from the facts
// is computed alike from the minimized body.
export function eventWithoutPersonalData<T extends EventType>(type: T, payload: EventPayload<T>): EventPayload<T> {
  const event = payload as EventPayload<EventType>;
  switch (type) {
    case 'lead.captured':
    case 'lead.updated': {
      const p = event as EventPayload<'lead.captured'>;
      return { ...p, lead: lead(p.lead) } as EventPayload<T>;
    }
    case 'lead.qualified': {
      const p = event as EventPayload<'lead.qualified'>;
      return { ...p, lead: lead(p.lead), reason: '' } as EventPayload<T>;
    }
    case 'lead.disqualified':
    case 'lead.nurturing':
      return { ...(event as EventPayload<'lead.disqualified'>), reason: '' } as EventPayload<T>;
    case 'deal.opened':
    case 'deal.stage_changed':
    case 'deal.won':
    case 'deal.lost': {
      const p = event as EventPayload<'deal.won'>;
      return { ...p, deal: deal(p.deal) } as EventPayload<T>;
    }
    default:
      return payload;
  }
}

// The lead an event is about (its person), or undefined when the body names none.
export function subjectOf<T extends EventType>(type: T, payload: EventPayload<T>): string | undefined {
  const event = payload as { lead?: { id?: string }; leadId?: string; deal?: { leadId?: string } };
  const subject = type.startsWith('deal.') ? event.deal?.leadId : event.leadId || event.lead?.id;
  return subject || undefined;
}

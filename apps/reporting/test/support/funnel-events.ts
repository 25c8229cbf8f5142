import {
  Deal,
  DealLost,
  DealOpened,
  DealStatus,
  DealWon,
  LeadCaptured,
  LeadDisqualified,
  LeadQualified,
  LeadStatus,
  type EventPayload,
  type EventType,
} from '@crm/contracts';

// A contract event as a producer would publish it: its routing key and its protobuf payload.
export type ContractEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

// Builders of the events reporting consumes, with `occurred_at` set so the projection's times are known.
export const funnelEvents = {
  captured(leadId: string, source: string, at: Date): ContractEvent {
    return {
      type: 'lead.captured',
      payload: LeadCaptured.fromPartial({
        occurredAt: at,
        lead: { id: leadId, status: LeadStatus.LEAD_STATUS_NEW, name: 'Ana', source: { channel: source }, createdAt: at, updatedAt: at },
      }),
    };
  },

  qualified(leadId: string, source: string, at: Date): ContractEvent {
    return {
      type: 'lead.qualified',
      payload: LeadQualified.fromPartial({
        occurredAt: at,
        leadId,
        lead: { id: leadId, status: LeadStatus.LEAD_STATUS_QUALIFIED, source: { channel: source } },
        score: 80,
        decidedBy: 'system',
      }),
    };
  },

  disqualified(leadId: string, source: string, at: Date): ContractEvent {
    return {
      type: 'lead.disqualified',
      payload: LeadDisqualified.fromPartial({ occurredAt: at, leadId, score: 10, decidedBy: 'system', sourceChannel: source }),
    };
  },

  dealOpened(leadId: string, source: string, at: Date): ContractEvent {
    return {
      type: 'deal.opened',
      payload: DealOpened.fromPartial({ occurredAt: at, deal: deal(leadId, source, DealStatus.DEAL_STATUS_OPEN, at) }),
    };
  },

  dealWon(leadId: string, source: string, at: Date): ContractEvent {
    return {
      type: 'deal.won',
      payload: DealWon.fromPartial({ occurredAt: at, deal: deal(leadId, source, DealStatus.DEAL_STATUS_WON, at) }),
    };
  },

  dealLost(leadId: string, source: string, at: Date): ContractEvent {
    return {
      type: 'deal.lost',
      payload: DealLost.fromPartial({ occurredAt: at, deal: deal(leadId, source, DealStatus.DEAL_STATUS_LOST, at) }),
    };
  },
};

function deal(leadId: string, source: string, status: DealStatus, at: Date): Deal {
  return Deal.fromPartial({
    id: `deal-of-${leadId}`,
    leadId,
    title: 'Acme - CRM',
    pipelineId: 'sales',
    stage: 'qualified',
    status,
    sourceChannel: source,
    openedAt: at,
  });
}

export const plusMs = (date: Date, ms: number) => new Date(date.getTime() + ms);

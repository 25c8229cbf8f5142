import { randomUUID } from 'node:crypto';
import { ErasedError, NotFoundError } from '@crm/errors';
import type { OutboxRelay } from '@crm/messaging';
import type { PageRequest } from '@crm/persistence';
import { captureLead, type Lead, type LeadCapture } from '../domain/lead';
import type { LeadFilter } from '../domain/lead-filter';
import { applyLeadPatch, type LeadPatch } from '../domain/lead-patch';
import { leadUpdated } from '../wire/lead-events.builder';
import type { LeadRepository } from '../store/lead.repository';
import type { CaptureResult } from './capture-result';
import type { IdempotentCapture } from './idempotent-capture';

// Capturing, reading and editing leads: what the HTTP and gRPC adapters call.
export class LeadIntake {
  constructor(
    private readonly leads: LeadRepository,
    private readonly capturing: IdempotentCapture,
    private readonly relay: OutboxRelay,
    private readonly now: () => Date,
  ) {}

  // Once this resolves the lead and its event are stored in one write, so the lead is never lost, even if
  // RabbitMQ is down right now (the outbox relay publishes it when the broker is back).
  capture(capture: LeadCapture, channel: string, idempotencyKey?: string): Promise<CaptureResult> {
    return this.capturing.capture(capture, channel, idempotencyKey);
  }

  // What a capture would answer, stored nowhere and published to no one: the answer to a bot caught by the form's
  // honeypot field.
  decoy(capture: LeadCapture, channel: string): Lead {
    return captureLead(randomUUID(), capture, channel, this.now());
  }

  async get(id: string): Promise<Lead> {
    const lead = await this.leads.findById(id);
    if (!lead) throw new NotFoundError('LEAD_NOT_FOUND', 'lead', id);
    if (lead.erasure) throw new ErasedError('LEAD_ERASED', 'lead', id, lead.erasure.at);
    return lead;
  }

  list(filter: LeadFilter, page: PageRequest): Promise<{ leads: Lead[]; nextPageToken: string }> {
    return this.leads.list(filter, page);
  }

  // Publishes lead.updated (so qualification re-scores) when anything changed; a patch changing nothing is a no-op.
  // `actor` is who edits (the calling client), recorded on the lead.
  async update(id: string, patch: LeadPatch, actor: string): Promise<{ lead: Lead; changedFields: string[] }> {
    let changedFields: string[] = [];
    const result = await this.leads.update(id, (lead) => {
      if (lead.erasure) throw new ErasedError('LEAD_ERASED', 'lead', id, lead.erasure.at);
      const change = applyLeadPatch(lead, patch, this.now(), actor);
      changedFields = change?.changedFields ?? [];
      return change && { lead: change.lead, events: [leadUpdated(change.lead, change.changedFields)] };
    });
    if (!result) throw new NotFoundError('LEAD_NOT_FOUND', 'lead', id);
    if (result.changed) this.relay.notify(id);
    return { lead: result.lead, changedFields: result.changed ? changedFields : [] };
  }
}

import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@crm/errors';
import type { OutboxRelay } from '@crm/messaging';
import { captureLead, type Lead, type LeadCapture } from '../domain/lead';
import { leadCaptured } from '../messaging/lead-events';
import type { LeadRepository } from '../store/lead.repository';

// Capturing and reading leads: what the HTTP and gRPC adapters call.
export class LeadIntake {
  constructor(
    private readonly leads: LeadRepository,
    private readonly relay: OutboxRelay,
  ) {}

  // Stores the lead and its lead.captured event in one write: once this resolves the lead is never lost, even if
  // RabbitMQ is down right now (the outbox relay publishes it when the broker is back).
  async capture(capture: LeadCapture, channel: string): Promise<Lead> {
    const lead = captureLead(randomUUID(), capture, channel, new Date());
    await this.leads.insert(lead, [leadCaptured(lead)]);
    this.relay.notify();
    return lead;
  }

  async get(id: string): Promise<Lead> {
    const lead = await this.leads.findById(id);
    if (!lead) throw new NotFoundError('lead', id);
    return lead;
  }
}

import { encodeEvent, LeadQualified, LeadStatus, type EventType } from '@crm/contracts';
import { poisonKinds, publishPoison, uniqueId, waitFor, waitForDeadLetter } from '@crm/testing';
import { leadStatusConsumer } from '../src/lead-intake-service';
import { LeadIntakeHarness } from './support/lead-intake.harness';

const boundTypes: EventType[] = ['lead.qualified', 'lead.nurturing', 'lead.disqualified', 'deal.opened'];

// Every kind of message the lead-status consumer can never handle, on every event type its queue is bound to: each
// goes to the dead-letter queue at once, and the events behind it are still handled.
describe('poison messages on the lead-status queue', () => {
  let harness: LeadIntakeHarness;

  beforeAll(async () => {
    harness = await LeadIntakeHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('dead-letters each at once and keeps the queue flowing', async () => {
    const markers: string[] = [];
    for (const type of boundTypes) for (const kind of poisonKinds) markers.push(await publishPoison(harness.probe, type, kind));

    const response = await harness.post({ email: `${uniqueId()}@acme-industries.io` });
    const id = ((await response.json()) as { id: string }).id;
    await harness.probe.publishEvent(
      'lead.qualified',
      uniqueId('msg-'),
      encodeEvent('lead.qualified', LeadQualified.fromPartial({ occurredAt: new Date(), leadId: id, score: 80, decidedBy: 'system' })),
    );
    await waitFor('the lead to read qualified', async () => {
      const { lead } = await harness.api.getLead({ id });
      return lead?.status === LeadStatus.LEAD_STATUS_QUALIFIED;
    });

    for (const marker of markers) {
      const dead = await waitForDeadLetter(harness.probe, leadStatusConsumer, marker);
      // Rejected by the consumer on its first delivery, not after the retries a transient failure gets.
      expect(dead.properties.headers?.['x-first-death-reason']).toBe('rejected');
    }
    expect(await harness.running.consumed(leadStatusConsumer, ['dead_lettered'])).toBe(markers.length);
    expect(await harness.running.consumed(leadStatusConsumer, ['retried'])).toBe(0);
    await waitFor('the queue to drain', async () => (await harness.probe.queueDepth(harness.probe.names.queue(leadStatusConsumer))) === 0);
  });
});

import type { EventType } from '@crm/contracts';
import { poisonKinds, publishPoison, waitFor, waitForDeadLetter } from '@crm/testing';
import { leadEventsConsumer } from '../src/qualification-service';
import { QualificationHarness, qualifyingLead } from './support/qualification-harness';

const boundTypes: EventType[] = ['lead.captured', 'lead.updated'];

// Every kind of message the lead-events consumer can never handle, on every event type its queue is bound to (an
// undecodable body alone is covered next to each event's own tests): each goes to the dead-letter queue at once,
// and the lead captured behind them is still decided.
describe('poison messages on the lead-events queue', () => {
  let harness: QualificationHarness;

  beforeAll(async () => {
    harness = await QualificationHarness.start();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('dead-letters each at once and keeps the queue flowing', async () => {
    const markers: string[] = [];
    for (const type of boundTypes) for (const kind of poisonKinds) markers.push(await publishPoison(harness.probe, type, kind));

    const lead = qualifyingLead();
    await harness.publishCaptured(lead);
    await waitFor('the next lead to be decided', () => harness.qualifiedEvents(lead.id).length === 1);

    for (const marker of markers) {
      const dead = await waitForDeadLetter(harness.probe, leadEventsConsumer, marker);
      // Rejected by the consumer on its first delivery, not after the retries a transient failure gets.
      expect(dead.properties.headers?.['x-first-death-reason']).toBe('rejected');
    }
    const deliveries = await harness.deliveries();
    expect(deliveries.dead_lettered).toBe(markers.length);
    expect(deliveries.retried).toBe(0);
    await waitFor('the queue to drain', async () => (await harness.probe.queueDepth(harness.probe.names.queue(leadEventsConsumer))) === 0);
  });
});

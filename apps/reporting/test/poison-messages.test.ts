import type { EventType } from '@crm/contracts';
import { poisonKinds, publishPoison, uniqueId, waitFor, waitForDeadLetter } from '@crm/testing';
import { funnelConsumer } from '../src/reporting-service';
import { funnelEvents as e } from './support/funnel-events';
import { noFigures, ReportingHarness } from './support/reporting-harness';

const boundTypes: EventType[] = [
  'lead.captured',
  'lead.qualified',
  'lead.disqualified',
  'deal.opened',
  'deal.stage_changed',
  'deal.won',
  'deal.lost',
];

// Every kind of message the funnel consumer can never handle, on every event type its queue is bound to: each goes
// to the dead-letter queue at once, counts in no figure, and the events behind it are still projected.
describe('poison messages on the funnel queue', () => {
  let reporting: ReportingHarness;

  beforeAll(async () => {
    reporting = await ReportingHarness.start();
  });

  afterAll(async () => {
    await reporting?.stop();
  });

  it('dead-letters each at once and keeps the queue flowing', async () => {
    const markers: string[] = [];
    for (const type of boundTypes) for (const kind of poisonKinds) markers.push(await publishPoison(reporting.probe, type, kind));

    await reporting.publish(e.captured(uniqueId('lead-'), 'web-form', new Date('2026-03-02T09:00:00.000Z')));
    await reporting.settled();

    for (const marker of markers) {
      const dead = await waitForDeadLetter(reporting.probe, funnelConsumer, marker);
      // Rejected by the consumer on its first delivery, not after the retries a transient failure gets.
      expect(dead.properties.headers?.['x-first-death-reason']).toBe('rejected');
    }
    expect(await reporting.consumed('dead_lettered')).toBe(markers.length);
    expect(await reporting.consumed('retried')).toBe(0);
    expect(await reporting.funnel()).toEqual({ ...noFigures, leadsCaptured: 1 });
    await waitFor('the queue to drain', async () => (await reporting.probe.queueDepth(reporting.probe.names.queue(funnelConsumer))) === 0);
  });
});

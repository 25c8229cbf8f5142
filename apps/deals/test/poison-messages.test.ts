import { poisonKinds, publishPoison, waitFor, waitForDeadLetter } from '@crm/testing';
import { leadQualifiedConsumer } from '../src/deals-service';
import { DealsUnderTest } from './support/deals-harness';

// Every kind of message the lead-qualified consumer can never handle: each goes to the dead-letter queue at once,
// and the lead.qualified behind them still opens its deal.
describe('poison messages on the lead-qualified queue', () => {
  let deals: DealsUnderTest;

  beforeAll(async () => {
    deals = await DealsUnderTest.start();
  });

  afterAll(async () => {
    await deals?.stop();
  });

  it('dead-letters each at once and keeps the queue flowing', async () => {
    const markers: string[] = [];
    for (const kind of poisonKinds) markers.push(await publishPoison(deals.probe, 'lead.qualified', kind));

    const deal = await deals.openedDeal();
    expect(deal.stage).toBe('qualified');

    for (const marker of markers) {
      const dead = await waitForDeadLetter(deals.probe, leadQualifiedConsumer, marker);
      // Rejected by the consumer on its first delivery, not after the retries a transient failure gets.
      expect(dead.properties.headers?.['x-first-death-reason']).toBe('rejected');
    }
    expect(await deals.running.consumed(leadQualifiedConsumer, ['dead_lettered'])).toBe(markers.length);
    expect(await deals.running.consumed(leadQualifiedConsumer, ['retried'])).toBe(0);
    await waitFor('the queue to drain', async () => (await deals.probe.queueDepth(deals.probe.names.queue(leadQualifiedConsumer))) === 0);
  });
});

import { freePort, scrapeMetrics, TcpProxy, testInfra, waitFor } from '@crm/testing';
import { LeadIntakeHarness } from './support/lead-intake.harness';

// The promise: a lead that got a 2xx is never lost, even when RabbitMQ is down at that moment.
describe('intake while RabbitMQ is unreachable', () => {
  let harness: LeadIntakeHarness;
  let proxy: TcpProxy;
  const metrics = () => scrapeMetrics(harness.url(''));

  beforeAll(async () => {
    const broker = new URL(testInfra().amqpUrl);
    proxy = new TcpProxy(await freePort(), { host: broker.hostname, port: Number(broker.port || 5672) });
    const viaProxy = new URL(testInfra().amqpUrl);
    viaProxy.port = String(proxy.port);
    // The service starts with the broker already unreachable (so it never gets ready); MongoDB must be connected
    // before the first capture, or that capture is refused with 503 as any capture during a database outage is.
    harness = await LeadIntakeHarness.start({ AMQP_URL: viaProxy.toString() });
    await waitFor('MongoDB to be connected', async () => {
      const report = (await (await fetch(harness.url('/readyz'))).json()) as { checks: { mongodb: boolean } };
      return report.checks.mongodb;
    });
  });

  afterAll(async () => {
    await proxy.open();
    await harness?.stop();
    await proxy.cut();
  });

  it('accepts leads, reports not ready, and publishes every captured lead once the broker is back', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await harness.post({ email: `outage-${i}@acme.io` });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const readiness = await fetch(harness.url('/readyz'));
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ checks: { mongodb: true, rabbitmq: false } });
    expect(harness.probe.messages('lead.captured')).toHaveLength(0);
    // What an operator sees meanwhile: the outbox backing up, and the service not ready.
    const during = await metrics();
    expect(during.get('crm_outbox_pending_events{collection="leads"}')).toBeGreaterThanOrEqual(5);
    expect(during.get('crm_outbox_oldest_event_age_seconds{collection="leads"}')).toBeGreaterThan(0);
    await waitFor('the readiness gauge to say not ready', async () => (await metrics()).get('crm_service_ready') === 0);

    await proxy.open();
    const published = await waitFor(
      'every captured lead to be published',
      () => {
        const leadIds = harness.probe.events('lead.captured').map((e) => e.lead?.id);
        return ids.every((id) => leadIds.includes(id)) ? leadIds : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(published.filter((id) => ids.includes(id!))).toHaveLength(5);
    await waitFor('ready again', async () => (await fetch(harness.url('/readyz'))).status === 200);
    await waitFor('the outbox metrics to drain', async () => (await metrics()).get('crm_outbox_pending_events{collection="leads"}') === 0);
    expect((await metrics()).get('crm_outbox_oldest_event_age_seconds{collection="leads"}')).toBe(0);
  });
});

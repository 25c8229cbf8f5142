import { publishPoison, scrapeMetrics, waitFor } from '@crm/testing';
import { consumerNames, RunningSystem, type ServiceName } from './support/system';

// What operators scrape: queue depth and consumers, dead letters, and how long a lead takes from capture to
// decision to deal, each from the service that knows it.
describe('operational metrics of the running system', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await RunningSystem.start();
  }, 90_000);

  afterAll(async () => {
    if (system) await system.stop();
  }, 90_000);

  const metrics = (service: ServiceName) => scrapeMetrics(system.services[service].httpUrl);

  it('times a lead from capture to decision to deal', async () => {
    const posted = await system.postLead({
      name: 'Metrics Lead',
      email: `metrics-${Date.now()}@acme-industries.io`,
      company: 'Acme',
      interest: 'CRM',
      priority: 'high',
    });
    expect(posted.status).toBe(201);
    await system.probe.waitForEvents('deal.opened', 1, 30_000);
    const qualification = await metrics('qualification');
    expect(qualification.get('crm_lead_capture_to_decision_seconds_count')).toBeGreaterThanOrEqual(1);
    const deals = await metrics('deals');
    expect(deals.get('crm_lead_decision_to_deal_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(deals.get('crm_lead_capture_to_deal_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(deals.get('crm_lead_capture_to_deal_seconds_sum')).toBeGreaterThanOrEqual(deals.get('crm_lead_decision_to_deal_seconds_sum')!);
  });

  it('shows each consumer queue with its consumer, empty once the work is done, and the service ready', async () => {
    for (const [service, queue] of Object.entries(consumerNames) as [ServiceName, string][]) {
      const found = await waitFor(`${queue} to drain`, async () => {
        const values = await metrics(service);
        return values.get(`crm_queue_messages{queue="${queue}",kind="consumer"}`) === 0 ? values : undefined;
      });
      expect({ queue, consumers: found.get(`crm_queue_consumers{queue="${queue}"}`) }).toEqual({ queue, consumers: 1 });
      expect(found.get(`crm_queue_messages{queue="${queue}",kind="dead_letter"}`)).toBe(0);
      expect(found.get('crm_service_ready')).toBe(1);
    }
  });

  it('counts a dead letter where it waits', async () => {
    await publishPoison(system.probe, 'lead.captured', 'undecodable body');
    await waitFor('the dead letter to show in qualification', async () => {
      const values = await metrics('qualification');
      return values.get('crm_queue_messages{queue="qualification.lead-events",kind="dead_letter"}') === 1;
    });
  });
});

import { reportsKey, ReportingHarness } from './support/reporting-harness';

const reportPaths = ['funnel', 'pipeline?pipelineId=sales', 'sources', 'cycle-times', 'lost-reasons'].map((p) => `/v1/reports/${p}`);
const metricsToken = 'prometheus-scrape-token';

// Sales figures are for those holding a reports key; /metrics for the scraper holding its token.
describe('who may read the reports and the metrics', () => {
  let reporting: ReportingHarness;

  beforeAll(async () => {
    reporting = await ReportingHarness.start({
      REPORT_CACHE_MS: '0',
      REPORTS_API_KEYS: `sales=${reportsKey},finance=finance-reports-key-2`,
      METRICS_BEARER_TOKEN: metricsToken,
    });
  });

  afterAll(async () => {
    await reporting?.stop();
  });

  it('refuses every report without a key, or with a wrong one, as problem+json 401 that echoes no key', async () => {
    for (const path of reportPaths) {
      for (const key of [null, 'not-a-reports-key', reportsKey.slice(1)]) {
        const { status, type, body } = await reporting.http(path, key);
        expect({ path, status, type }).toEqual({ path, status: 401, type: expect.stringMatching(/^application\/problem\+json/) });
        expect(body.reason).toBe(key === null ? 'CREDENTIAL_MISSING' : 'CREDENTIAL_INVALID');
        expect(JSON.stringify(body)).not.toContain(key ?? '\u0000');
      }
    }
  });

  it('answers every report to either key', async () => {
    for (const path of reportPaths) {
      // No deal was opened in the pipeline yet: its report is a 404, past the key check like the others.
      const expected = path.includes('pipeline') ? 404 : 200;
      expect({ path, status: (await reporting.http(path, reportsKey)).status }).toEqual({ path, status: expected });
      expect({ path, status: (await reporting.http(path, 'finance-reports-key-2')).status }).toEqual({ path, status: expected });
    }
  });

  it('serves the dashboard page itself without a key: it holds no figure', async () => {
    const response = await fetch(reporting.running.url('/dashboard'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('id="sign-in"');
  });

  it('serves /metrics to the bearer of the metrics token only, and health to anyone', async () => {
    const metrics = (authorization?: string) =>
      fetch(reporting.running.url('/metrics'), { headers: authorization ? { authorization } : {} }).then((r) => r.status);
    expect(await metrics()).toBe(401);
    expect(await metrics('Bearer wrong-token-entirely')).toBe(401);
    expect(await metrics(`Basic ${metricsToken}`)).toBe(401);
    expect(await metrics(`Bearer ${metricsToken}`)).toBe(200);
    expect((await fetch(reporting.running.url('/healthz'))).status).toBe(200);
    expect((await fetch(reporting.running.url('/readyz'))).status).toBe(200);
  });
});

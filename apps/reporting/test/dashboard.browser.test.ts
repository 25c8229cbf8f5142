import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openHeadlessChromium, type HeadlessChromium } from '@crm/testing';
import { funnelEvents as e } from './support/funnel-events';
import { at, reportsScenario } from './support/reports-scenario';
import { reportsKey, ReportingHarness } from './support/reporting-harness';

// Intl formats with non-breaking spaces ("50 %", "12.000,00 €"); compare with plain ones.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const screenshots = join(__dirname, '../../../test-output/reporting');

// Page code is given as strings: these tests compile without the DOM's types.
// The dashboard in a real headless Chromium, against the service's own HTTP port and nothing else.
describe('the dashboard in a browser', () => {
  let reporting: ReportingHarness;
  let browser: HeadlessChromium;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    reporting = await ReportingHarness.start();
    for (const event of reportsScenario()) await reporting.publish(event);
    await reporting.settled();
    browser = await openHeadlessChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await reporting?.stop();
  });

  async function signIn(page: Awaited<ReturnType<HeadlessChromium['context']['newPage']>>, key: string) {
    await page.waitForSelector('#sign-in:not([hidden])');
    await page.fill('#reports-key', key);
    await page.click('#sign-in button[type="submit"]');
  }

  async function open(viewport: { width: number; height: number }) {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    const offsite: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(reporting.running.url('/'))) offsite.push(request.url());
    });
    await page.goto(reporting.running.url('/dashboard?refresh=1000'));
    await signIn(page, reportsKey);
    await page.waitForSelector('body[data-loaded="true"]');
    return { page, offsite, kpi: async (name: string) => plain(await page.locator(`[data-kpi="${name}"]`).first().innerText()) };
  }

  it('shows the scenario figures in Spanish and English, with its assets from the service alone', async () => {
    const { page, offsite, kpi } = await open({ width: 1366, height: 900 });
    expect(await kpi('leadsCaptured')).toBe('6');
    expect(await kpi('winRate')).toBe('50 %');
    expect(await kpi('qualificationRate')).toBe('66,7 %');
    expect(await kpi('leadToDealRate')).toBe('66,7 %');
    expect(await kpi('openValue')).toBe('8333,33 €');
    expect(await kpi('weightedValue')).toBe('2833,33 €');
    expect(await kpi('wonValue')).toBe('12.000,00 €');
    expect(await kpi('dealsLost')).toBe('1 negocios / deals');
    expect(await kpi('captureToQualification')).toBe('16 min (mediana / median 15 min, n=4)');
    expect((await page.locator('#sources-table tbody tr[data-source="web-form"] td').allInnerTexts()).map(plain)).toEqual([
      'web-form',
      '2',
      '2',
      '2',
      '1',
      '0',
      '100 %',
      '12.000,00 €',
    ]);
    expect((await page.locator('#lost-reasons li').allInnerTexts()).map(plain)).toEqual(['Precio / Price: 1 · 3000,00 €']);
    expect(await page.locator('h1').innerText()).toContain('Panel de ventas');
    expect(await page.locator('h1').innerText()).toContain('Sales dashboard');
    // Chart.js drew each chart (a canvas with pixels painted, not a blank element).
    for (const id of ['funnel-chart', 'pipeline-chart', 'sources-chart', 'cycle-chart']) {
      expect(await page.evaluate<number>(`document.getElementById('${id}').toDataURL().length`)).toBeGreaterThan(3000);
    }
    expect(offsite).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'dashboard-laptop.png'), fullPage: true });
    await page.close();
  });

  it('stays current without a reload', async () => {
    const { page, kpi } = await open({ width: 1366, height: 900 });
    expect(await kpi('leadsCaptured')).toBe('6');
    await reporting.publish(e.captured('late-lead', 'web-form', at(90)));
    await reporting.settled();
    await page.waitForFunction(`document.querySelector('[data-kpi="leadsCaptured"]').textContent === '7'`, undefined, { timeout: 10_000 });
    await page.close();
  });

  it('asks for the key, refuses a wrong one, keeps a good one for the session only, and signs out', async () => {
    const page = await browser.context.newPage();
    await page.goto(reporting.running.url('/dashboard?refresh=1000'));
    expect(await page.isVisible('#figures')).toBe(false);
    await signIn(page, 'not-the-reports-key');
    await page.waitForSelector('#sign-in-error:not([hidden])');
    expect(await page.innerText('#sign-in-error')).toContain('The key is not valid');
    expect(await page.isVisible('#figures')).toBe(false);

    await signIn(page, reportsKey);
    await page.waitForSelector('body[data-loaded="true"]');
    // Kept in this tab's session storage, never in local storage or a cookie.
    expect(await page.evaluate<string | null>(`sessionStorage.getItem('crm.reportsKey')`)).toBe(reportsKey);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(await browser.context.cookies()).toEqual([]);
    // A reload in the same session stays signed in.
    await page.reload();
    await page.waitForSelector('#figures:not([hidden])');

    await page.click('#sign-out');
    await page.waitForSelector('#sign-in:not([hidden])');
    expect(await page.evaluate<string | null>(`sessionStorage.getItem('crm.reportsKey')`)).toBeNull();
    expect(await page.isVisible('#figures')).toBe(false);
    await page.close();

    // Another session (a new tab) asks again.
    const other = await browser.context.newPage();
    await other.goto(reporting.running.url('/dashboard'));
    await other.waitForSelector('#sign-in:not([hidden])');
    await other.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page } = await open({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(screenshots, 'dashboard-phone.png'), fullPage: true });
    await page.close();
  });
});

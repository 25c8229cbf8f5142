import { ReportCache } from './report-cache';

describe('ReportCache', () => {
  let clock = 0;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000;
  });

  it('gives concurrent and later requests within the time to live one computation, then computes again', async () => {
    const cache = new ReportCache(1000, now);
    let computed = 0;
    const compute = async () => ++computed;
    expect(await Promise.all([cache.get('funnel', compute), cache.get('funnel', compute)])).toEqual([1, 1]);
    clock += 999;
    expect(await cache.get('funnel', compute)).toBe(1);
    clock += 1;
    expect(await cache.get('funnel', compute)).toBe(2);
  });

  it('keeps each key apart', async () => {
    const cache = new ReportCache(1000, now);
    expect(await cache.get('funnel|web-form', async () => 'web-form')).toBe('web-form');
    expect(await cache.get('funnel|facebook', async () => 'facebook')).toBe('facebook');
  });

  it('does not keep a failure', async () => {
    const cache = new ReportCache(1000, now);
    await expect(cache.get('pipeline', async () => Promise.reject(new Error('not found')))).rejects.toThrow('not found');
    expect(await cache.get('pipeline', async () => 'found')).toBe('found');
  });

  it('computes every time when its time to live is 0', async () => {
    const cache = new ReportCache(0, now);
    let computed = 0;
    await cache.get('funnel', async () => ++computed);
    expect(await cache.get('funnel', async () => ++computed)).toBe(2);
  });
});

import { TtlCache } from './ttl-cache';

// A loader that answers "v1", "v2", ... and lets the test finish each load when it wants.
function loader() {
  const pending: (() => void)[] = [];
  let loads = 0;
  const load = () =>
    new Promise<string>((resolve) => {
      const n = ++loads;
      pending.push(() => resolve(`v${n}`));
    });
  return { load, finishAll: () => pending.splice(0).forEach((finish) => finish()), loads: () => loads };
}

describe('TtlCache', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 0;
  });

  it('serves one shared load until the TTL runs out', async () => {
    const source = loader();
    const cache = new TtlCache(source.load, 1000, clock);
    const both = Promise.all([cache.get(), cache.get()]);
    source.finishAll();
    expect(await both).toEqual(['v1', 'v1']);
    now = 999;
    expect(await cache.get()).toBe('v1');
    now = 1000;
    const later = cache.get();
    source.finishAll();
    expect(await later).toBe('v2');
    expect(source.loads()).toBe(2);
  });

  it('loads again when the cached value does not suit the reader, even while young', async () => {
    const source = loader();
    const cache = new TtlCache(source.load, 1000, clock);
    const first = cache.get();
    source.finishAll();
    await first;
    const other = cache.get((v) => v === 'v2');
    source.finishAll();
    expect(await other).toBe('v2');
  });

  it('forgets on invalidate, and does not keep a load begun before it', async () => {
    const source = loader();
    const cache = new TtlCache(source.load, 1000, clock);
    const before = cache.get();
    cache.invalidate();
    const after = cache.get();
    source.finishAll();
    expect([await before, await after]).toEqual(['v1', 'v2']);
    expect(await cache.get()).toBe('v2');
    expect(source.loads()).toBe(2);
  });

  it('loads on every read when the TTL is 0', async () => {
    const source = loader();
    const cache = new TtlCache(source.load, 0, clock);
    const reads = Promise.all([cache.get(), cache.get()]);
    source.finishAll();
    expect(await reads).toEqual(['v1', 'v2']);
  });
});

import { clientBucket, retryAfterSeconds, slidingCount, windowAt } from './rate-window';

describe('sliding rate window', () => {
  const minute = 60_000;

  it('places a time in its fixed window and the one before', () => {
    expect(windowAt(125_000, minute)).toEqual({ current: 120_000, previous: 60_000, elapsed: 5 / 60 });
  });

  it('weighs the previous window by how much of it still overlaps', () => {
    expect(slidingCount(60, 10, windowAt(120_000 + 15_000, minute))).toBe(10 + 45);
    expect(slidingCount(60, 10, windowAt(120_000, minute))).toBe(70);
    expect(slidingCount(0, 10, windowAt(170_000, minute))).toBe(10);
  });

  it('says when a refused caller may come back', () => {
    // The current window alone is full: back when it ends.
    expect(retryAfterSeconds(0, 30, 30, windowAt(130_000, minute), minute)).toBe(50);
    // Over because of the previous window: back once enough of it has slid out (15 s here), never after the window.
    expect(retryAfterSeconds(60, 10, 30, windowAt(120_000, minute), minute)).toBe(41);
    expect(retryAfterSeconds(1, 0, 1, windowAt(179_999, minute), minute)).toBe(1);
  });
});

describe('clientBucket', () => {
  it('counts an IPv4 address as itself, written plainly or IPv4-mapped', () => {
    expect(clientBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(clientBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64 network', () => {
    expect(clientBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
  });
});

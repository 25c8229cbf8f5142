// Sliding-window rate limiting over fixed windows: the count of the current window plus the previous window's count
// weighted by how much of it still overlaps the last `windowMs` (the approximation Cloudflare and others use). Two
// counters per limited key, each read and written by its id, so the cost per request does not grow with traffic.

export interface WindowPosition {
  // Start (ms since the epoch) of the fixed window `now` falls in, and of the one before.
  current: number;
  previous: number;
  // How far into the current window `now` is, from 0 to 1.
  elapsed: number;
}

export function windowAt(now: number, windowMs: number): WindowPosition {
  const current = now - (now % windowMs);
  return { current, previous: current - windowMs, elapsed: (now - current) / windowMs };
}

export function slidingCount(previousCount: number, currentCount: number, position: WindowPosition): number {
  return currentCount + previousCount * (1 - position.elapsed);
}

// Seconds until the sliding count would fall back within `points`: when the current window alone is over, its end;
// otherwise the time for the previous window's weight to shed the excess.
export function retryAfterSeconds(
  previousCount: number,
  currentCount: number,
  points: number,
  position: WindowPosition,
  windowMs: number,
): number {
  const untilNextWindow = (1 - position.elapsed) * windowMs;
  if (currentCount >= points || previousCount === 0) return Math.max(1, Math.ceil(untilNextWindow / 1000));
  const excess = slidingCount(previousCount, currentCount, position) - points + 1;
  const waitMs = Math.min(untilNextWindow, (excess / previousCount) * windowMs);
  return Math.max(1, Math.ceil(waitMs / 1000));
}

// The address a limit counts by: an IPv4 address as it is (also when written IPv4-mapped), an IPv6 address by its
// /64 network, since one host usually holds a whole /64 and could otherwise take a new address per request.
export function clientBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

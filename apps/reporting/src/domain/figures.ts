// Figures kept incrementally: named tallies, each a count and a sum of money in minor units. One rule adds, subtracts
// and stores them all, so a delta applied to a bucket and a full recomputation cannot disagree on arithmetic.
export interface Tally {
  count: number;
  amountMinor: bigint;
}

// Keyed by the tally's name and its parts (see figureKey), e.g. ["leadsCaptured"] or ["closed","lost","EUR","price"].
export type Figures = Map<string, Tally>;

// One bucket's share of the figures, e.g. one lead's contribution to its capture day and source.
export interface BucketFigures<B> {
  bucket: B;
  figures: Figures;
}

export const figureKey = (...parts: Array<string | number>): string => JSON.stringify(parts.map(String));
export const keyParts = (key: string): string[] => JSON.parse(key) as string[];

export function addTally(figures: Figures, key: string, count: number, amountMinor = 0n): void {
  const current = figures.get(key) ?? { count: 0, amountMinor: 0n };
  const next = { count: current.count + count, amountMinor: current.amountMinor + amountMinor };
  // A tally back at zero is dropped, so figures that cancel out leave nothing behind.
  if (next.count === 0 && next.amountMinor === 0n) figures.delete(key);
  else figures.set(key, next);
}

// Adds `part` (times `sign`: -1 subtracts) into `into`.
export function addFigures(into: Figures, part: Figures, sign: 1 | -1 = 1): Figures {
  for (const [key, tally] of part) addTally(into, key, sign * tally.count, BigInt(sign) * tally.amountMinor);
  return into;
}

export function sumFigures(parts: Iterable<Figures>): Figures {
  const sum: Figures = new Map();
  for (const part of parts) addFigures(sum, part);
  return sum;
}

// What moves from each bucket when a document's contribution changes from `before` to `after`: per bucket, after
// minus before, buckets whose figures do not change left out.
export function contributionDelta<B>(
  before: BucketFigures<B>[],
  after: BucketFigures<B>[],
  idOf: (bucket: B) => string,
): BucketFigures<B>[] {
  const deltas = new Map<string, BucketFigures<B>>();
  const add = ({ bucket, figures }: BucketFigures<B>, sign: 1 | -1) => {
    const id = idOf(bucket);
    const entry = deltas.get(id) ?? { bucket, figures: new Map<string, Tally>() };
    addFigures(entry.figures, figures, sign);
    deltas.set(id, entry);
  };
  before.forEach((part) => add(part, -1));
  after.forEach((part) => add(part, 1));
  return [...deltas.values()].filter((delta) => delta.figures.size > 0);
}

import { randomUUID } from 'node:crypto';
import type { FilterQuery, Model } from 'mongoose';
import { batchedCollectionOf, findLeanById, insertIfAbsent, lostRace, retryOnConflict } from '@crm/persistence';
import { addFigures, type BucketFigures, type Figures } from '../domain/figures';
import type { FigureBucketDocument, StoredTally } from './figure-bucket.model';

export const toStoredFigures = (figures: Figures): StoredTally[] =>
  [...figures].map(([key, { count, amountMinor }]) => ({ key, count, amountMinor: amountMinor.toString() }));

export const fromStoredFigures = (stored: StoredTally[]): Figures =>
  new Map(stored.map(({ key, count, amountMinor }) => [key, { count, amountMinor: BigInt(amountMinor) }]));

// A delta as a projection's document holds it until it is settled.
export interface StoredDelta {
  // Which kind of figures of the projection (see KeptFigures); absent in a delta stored when there was one kind.
  kind?: string;
  bucket: Record<string, string>;
  figures: StoredTally[];
}

// A bucket as this copy last wrote or read it.
interface KnownBucket {
  version: string | number;
  figures: Figures;
  applied: Set<string>;
}

// Buckets remembered (the most recently written): today's are the busy ones.
const knownBucketsKept = 1000;

interface Waiting {
  token: string;
  figures: Figures;
  resolve(): void;
  reject(err: unknown): void;
}

// A token leaves a bucket's `applied` this long after its pending was cleared: a reader that found the pending just
// before it was cleared adds it right after that read, milliseconds later, and this covers that window many times
// over. Every round of a busy bucket reads and writes the list, so it is kept short.
export const forgetTokensAfterMs = 10_000;

// The buckets of one kind of figures. Each delta comes with a token unique to the projection write it belongs to;
// a bucket is written by compare-and-set on its version and records the tokens it added, so adding a delta again
// (a pending settled twice) changes nothing. Every event of a day lands in that day's bucket: deltas for one bucket
// that arrive while it is being written go together in its next write. A bucket this copy wrote last is written
// again without reading it first, from what it wrote; when another copy wrote it meanwhile, the compare-and-set
// fails and the bucket is read again.
export class FigureBuckets<B extends object> {
  private readonly queued = new Map<string, { bucket: B; waiting: Waiting[] }>();
  private readonly known = new Map<string, KnownBucket>();
  private readonly writing = new Set<string>();
  private forgetting: Array<{ dueAt: number; token: string; ids: string[]; attempts: number }> = [];
  private forgetTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: Model<FigureBucketDocument>,
    private readonly idOf: (bucket: B) => string,
    private readonly forgetAfterMs = forgetTokensAfterMs,
  ) {}

  // A method (not the function given) so that buckets of several kinds can be held in one list.
  idOfBucket(bucket: B): string {
    return this.idOf(bucket);
  }

  async add(token: string, deltas: BucketFigures<B>[]): Promise<void> {
    await Promise.all(deltas.map((delta) => this.addOne(token, delta)));
  }

  // Called once the pending holding `token` is cleared from its projection's document.
  forgetLater(token: string, buckets: B[]): void {
    this.forgetting.push({ dueAt: Date.now() + this.forgetAfterMs, token, ids: buckets.map(this.idOf), attempts: 0 });
    this.scheduleForgetting();
  }

  async find(filter: FilterQuery<FigureBucketDocument>): Promise<BucketFigures<B>[]> {
    const docs = await this.model.find(filter, { bucket: 1, figures: 1 }).lean();
    return docs.map((doc) => ({ bucket: doc.bucket as B, figures: fromStoredFigures(doc.figures) }));
  }

  async removeAll(): Promise<void> {
    this.known.clear();
    await this.model.deleteMany({});
  }

  private addOne(token: string, { bucket, figures }: BucketFigures<B>): Promise<void> {
    const id = this.idOf(bucket);
    return new Promise((resolve, reject) => {
      const group = this.queued.get(id) ?? { bucket, waiting: [] };
      group.waiting.push({ token, figures, resolve, reject });
      this.queued.set(id, group);
      if (this.writing.has(id)) return;
      this.writing.add(id);
      // After this turn's other deltas are queued, like the batched reads and writes of the same turn.
      setImmediate(() => void this.drain(id));
    });
  }

  private async drain(id: string): Promise<void> {
    for (let group = this.queued.get(id); group; group = this.queued.get(id)) {
      this.queued.delete(id);
      const { bucket, waiting } = group;
      try {
        await retryOnConflict(`figures ${id}`, () => this.write(id, bucket, waiting));
        waiting.forEach((w) => w.resolve());
      } catch (err) {
        waiting.forEach((w) => w.reject(err));
      }
    }
    this.writing.delete(id);
  }

  private async write(id: string, bucket: B, waiting: Waiting[]): Promise<void | typeof lostRace> {
    const doc = this.known.get(id) ?? (await this.read(id));
    const applied = new Set(doc?.applied);
    // A copy: the known state stays as it was if this write loses its race (tallies are replaced, never changed).
    const figures: Figures = new Map(doc?.figures);
    const tokens: string[] = [];
    for (const { token, figures: delta } of waiting) {
      if (applied.has(token)) continue;
      applied.add(token);
      tokens.push(token);
      addFigures(figures, delta);
    }
    if (tokens.length === 0) return;
    const version = randomUUID();
    const written = doc
      ? (
          await this.model.collection.updateOne(
            { _id: id as never, version: doc.version },
            { $set: { figures: toStoredFigures(figures), version }, $push: { applied: { $each: tokens } } as never },
          )
        ).matchedCount === 1
      : await insertIfAbsent(this.model, { _id: id, version, bucket, figures: toStoredFigures(figures), applied: tokens });
    if (!written) {
      this.known.delete(id);
      return lostRace;
    }
    this.remember(id, { version, figures, applied });
  }

  private async read(id: string): Promise<KnownBucket | undefined> {
    const doc = await findLeanById<FigureBucketDocument>(this.model, id);
    return doc ? { version: doc.version, figures: fromStoredFigures(doc.figures), applied: new Set(doc.applied) } : undefined;
  }

  private remember(id: string, bucket: KnownBucket): void {
    this.known.delete(id);
    this.known.set(id, bucket);
    if (this.known.size > knownBucketsKept) this.known.delete(this.known.keys().next().value!);
  }

  private scheduleForgetting(): void {
    if (this.forgetTimer || this.forgetting.length === 0) return;
    // Once a second at most: the tokens due by then leave each bucket in one command.
    const waitMs = Math.max(1000, this.forgetting[0].dueAt - Date.now());
    this.forgetTimer = setTimeout(() => {
      this.forgetTimer = undefined;
      void this.forgetDue();
    }, waitMs);
    this.forgetTimer.unref();
  }

  private async forgetDue(): Promise<void> {
    const now = Date.now();
    const due = this.forgetting.filter((entry) => entry.dueAt <= now);
    this.forgetting = this.forgetting.filter((entry) => entry.dueAt > now);
    const tokensById = new Map<string, typeof due>();
    for (const entry of due) for (const id of entry.ids) tokensById.set(id, [...(tokensById.get(id) ?? []), entry]);
    await Promise.all(
      [...tokensById].map(async ([id, entries]) => {
        const known = this.known.get(id);
        for (const entry of entries) known?.applied.delete(entry.token);
        try {
          await batchedCollectionOf(this.model).updateOne(
            { _id: id },
            { $pull: { applied: { $in: entries.map((e) => e.token) } } as never },
          );
        } catch {
          // A token left behind only takes room; try a few more times, then give up on it.
          const retry = entries
            .filter((e) => e.attempts < 3)
            .map((e) => ({ ...e, ids: [id], attempts: e.attempts + 1, dueAt: now + 5000 }));
          this.forgetting.push(...retry);
        }
      }),
    );
    this.forgetting.sort((a, b) => a.dueAt - b.dueAt);
    this.scheduleForgetting();
  }
}

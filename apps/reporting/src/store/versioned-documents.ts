import type { FilterQuery, Model } from 'mongoose';
import { batchedCollectionOf, findLeanById, insertPreparedIfAbsent, lostRace, retryOnConflict } from '@crm/persistence';
import { contributionDelta, type BucketFigures } from '../domain/figures';
import { fromStoredFigures, toStoredFigures, type FigureBuckets, type StoredDelta } from './figure-buckets.repository';

interface VersionedDocument {
  _id: string;
  version: number;
  pending?: Pending;
  pendingToken?: string;
}

// The deltas a write of the projection owes to the figure buckets, kept in the same document until they are added.
interface Pending {
  token: string;
  deltas: StoredDelta[];
}

// One kind of figures kept from a projection: what each state contributes to which of its buckets, and where they
// are. A projection may keep several kinds (a journey: its cohort's counts and its durations).
export interface KeptFigures<S, B extends object> {
  name: string;
  // A method, not a function property: each kind's bucket type is its own, and a list of kinds holds them all.
  contributionOf(state: S): BucketFigures<B>[];
  buckets: Pick<FigureBuckets<B>, 'add' | 'forgetLater' | 'removeAll' | 'idOfBucket'>;
}

// A reader that keeps finding a fresh pending gives way to the retry's pause rather than spin.
const maxSettlesPerAttempt = 3;

// One projection's documents: each is the state of one key (a lead, a deal) plus a version for optimistic writes.
// Copies of the service may handle events of the same key at once; a write only lands on the version it read.
//
// With figures kept, a write also stores, in the same compare-and-set, what it changes in the figures (new
// contribution minus old) as a pending with a token unique to the write; the pending is then added to the buckets
// (which skip a token they already hold) and cleared. Without transactions this is exactly once: if the process
// stops or a step fails in between, the message is retried (nothing is acknowledged before), and whoever next reads
// the document finds the pending and settles it before writing anything else, so the old state's contribution is
// always the one counted.
export class VersionedDocuments<S extends object> {
  constructor(
    // Any projection's model (mongoose's model types do not widen); documents are read lean, written through the driver.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly model: Model<any>,
    private readonly idField: keyof S & string,
    private readonly empty: (id: string) => S,
    private readonly figures: KeptFigures<S, object>[] = [],
  ) {}

  // Read, project, write if unchanged since read; a lost race is retried on the fresh state. `project` returns
  // undefined when the event changes nothing (a duplicate or a stale one): then nothing is written.
  apply(id: string, project: (current: S) => S | undefined): Promise<void> {
    return retryOnConflict(
      `${this.model.modelName} ${id}`,
      async () => {
        let doc = await this.read(id);
        for (let settled = 0; doc?.pending; settled++) {
          if (settled === maxSettlesPerAttempt) return lostRace;
          await this.settle(id, doc.pending);
          doc = await this.read(id);
        }
        const current = doc ? this.toState(doc) : this.empty(id);
        const next = project(current);
        if (!next) return;
        const { fields, pending } = this.prepareWrite(id, (doc?.version ?? 0) + 1, doc ? current : undefined, next);
        if (!doc) {
          if (!(await insertPreparedIfAbsent(this.model, { _id: id, ...fields }))) return lostRace;
        } else {
          const result = await this.model.collection.updateOne({ _id: id as never, version: doc.version }, { $set: fields });
          if (result.matchedCount !== 1) return lostRace;
        }
        if (pending) await this.settle(id, pending);
      },
      10,
    );
  }

  async find(filter: FilterQuery<unknown>): Promise<S[]> {
    const docs = (await this.model.find(filter).lean()) as unknown as Array<VersionedDocument & Record<string, unknown>>;
    return docs.map((doc) => this.toState(doc));
  }

  async removeAll(): Promise<void> {
    await Promise.all([this.model.deleteMany({}), ...this.figures.map((kind) => kind.buckets.removeAll())]);
  }

  // Adds a pending's deltas to their buckets, then clears it: only a document that still holds this very pending
  // is changed (filter `{ _id, pendingToken }`, which a unique index of exactly those fields serves). The tokens
  // are forgotten by the buckets a while after (see forgetTokensAfterMs).
  async settle(id: string, pending: Pending): Promise<void> {
    if (this.figures.length === 0) return;
    // A delta stored without a kind's name is of the first kind: the only one there was when it was written.
    const deltasOf = (kind: KeptFigures<S, object>) =>
      pending.deltas
        .filter((d) => (d.kind ?? this.figures[0].name) === kind.name)
        .map((d) => ({ bucket: d.bucket, figures: fromStoredFigures(d.figures) }));
    const byKind = this.figures.map((kind) => ({ kind, deltas: deltasOf(kind) })).filter((k) => k.deltas.length > 0);
    await Promise.all(byKind.map(({ kind, deltas }) => kind.buckets.add(pending.token, deltas)));
    await batchedCollectionOf(this.model).updateOne(
      { _id: id, pendingToken: pending.token },
      { $unset: { pending: '', pendingToken: '' } },
    );
    for (const { kind, deltas } of byKind)
      kind.buckets.forgetLater(
        pending.token,
        deltas.map((d) => d.bucket),
      );
  }

  // What a write of `next` stores at `version`: the state, the version and what it owes the figures.
  prepareWrite(id: string, version: number, before: S | undefined, next: S): { fields: Record<string, unknown>; pending?: Pending } {
    const pending = this.pendingOf(id, version, before, next);
    const { [this.idField]: _id, ...state } = next as Record<string, unknown>;
    return { fields: { ...state, version, ...(pending ? { pending, pendingToken: pending.token } : {}) }, pending };
  }

  private read(id: string) {
    return findLeanById<VersionedDocument & Record<string, unknown>>(this.model, id);
  }

  // A document that does not exist yet contributes nothing.
  private pendingOf(id: string, version: number, before: S | undefined, after: S): Pending | undefined {
    const deltas = this.figures.flatMap((kind) =>
      contributionDelta(before ? kind.contributionOf(before) : [], kind.contributionOf(after), (b) => kind.buckets.idOfBucket(b)).map(
        ({ bucket, figures }) => ({
          kind: kind.name,
          bucket: bucket as Record<string, string>,
          figures: toStoredFigures(figures),
        }),
      ),
    );
    return deltas.length === 0 ? undefined : { token: `${id}:${version}`, deltas };
  }

  private toState({
    _id,
    version: _version,
    pending: _pending,
    pendingToken: _token,
    ...state
  }: VersionedDocument & Record<string, unknown>): S {
    return { ...this.empty(_id), ...state, [this.idField]: _id };
  }
}

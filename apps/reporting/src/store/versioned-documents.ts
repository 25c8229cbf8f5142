import type { FilterQuery, Model } from 'mongoose';
import { findLeanById, insertIfAbsent, lostRace, retryOnConflict } from '@crm/persistence';

interface VersionedDocument {
  _id: string;
  version: number;
}

// One projection's documents: each is the state of one key (a lead, a deal) plus a version for optimistic writes.
// Copies of the service may handle events of the same key at once; a write only lands on the version it read.
export class VersionedDocuments<S extends object> {
  constructor(
    // Any projection's model (mongoose's model types do not widen); documents are read lean, written through the driver.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly model: Model<any>,
    private readonly idField: keyof S & string,
    private readonly empty: (id: string) => S,
  ) {}

  // Read, project, write if unchanged since read; a lost race is retried on the fresh state. `project` returns
  // undefined when the event changes nothing (a duplicate or a stale one): then nothing is written.
  apply(id: string, project: (current: S) => S | undefined): Promise<void> {
    return retryOnConflict(
      `${this.model.modelName} ${id}`,
      async () => {
        const doc = await findLeanById<VersionedDocument & Record<string, unknown>>(this.model, id);
        const next = project(doc ? this.toState(doc) : this.empty(id));
        if (!next) return;
        const { [this.idField]: _id, ...state } = next as Record<string, unknown>;
        if (!doc) return (await insertIfAbsent(this.model, { _id: id, ...state, version: 1 })) ? undefined : lostRace;
        const result = await this.model.collection.updateOne(
          { _id: id as never, version: doc.version },
          { $set: { ...state, version: doc.version + 1 } },
        );
        return result.matchedCount === 1 ? undefined : lostRace;
      },
      10,
    );
  }

  async find(filter: FilterQuery<unknown>): Promise<S[]> {
    const docs = (await this.model.find(filter).lean()) as unknown as Array<VersionedDocument & Record<string, unknown>>;
    return docs.map((doc) => this.toState(doc));
  }

  async removeAll(): Promise<void> {
    await this.model.deleteMany({});
  }

  private toState({ _id, version: _version, ...state }: VersionedDocument & Record<string, unknown>): S {
    return { ...this.empty(_id), ...state, [this.idField]: _id };
  }
}

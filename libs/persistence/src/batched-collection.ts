import { mongo, type Connection } from 'mongoose';

interface Waiting<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
}

interface QueuedWrite<W> extends Waiting<void> {
  write: W;
}

export interface BatchedCollectionOptions {
  // Most documents in one command; more queued in the same turn go in further commands.
  maxBatch?: number;
}

type Filter<T> = mongo.Filter<T>;

// As long as mongoose's own commands wait for a connection that has not opened yet (its bufferTimeoutMS).
const openWaitMs = 10_000;
type Update<T> = mongo.UpdateFilter<T>;

// Single-document commands that callers issue in the same turn of the event loop, sent as one command per kind:
// inserts as one unordered insert, updates as one unordered bulk update, reads by id as one `_id: { $in }` query.
// The database (and the driver) spends most of its time per command, not per document, so work that arrives
// together (a prefetch window of messages, a burst of requests) costs a few commands instead of one per document.
// Each caller still gets its own outcome: its own duplicate-key error, its own document.
export class BatchedCollection<T extends { _id: string }> {
  private readonly maxBatch: number;
  private inserts: QueuedWrite<T>[] = [];
  private updates: QueuedWrite<{ filter: Filter<T>; update: Update<T> }>[] = [];
  // By projection, then by id: one query per projection asked for in the turn.
  private reads = new Map<string, { projection?: mongo.Document; byId: Map<string, Waiting<T | null>[]> }>();
  private scheduled = false;

  constructor(
    private readonly connection: Connection,
    private readonly name: string,
    options: BatchedCollectionOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  insertOne(document: T): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue(() => this.inserts.push({ write: document, resolve, reject })));
  }

  // Matches by a filter the store serves with an index; the caller learns only whether the command failed, not
  // whether the filter matched.
  updateOne(filter: Filter<T>, update: Update<T>): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue(() => this.updates.push({ write: { filter, update }, resolve, reject })));
  }

  // The document with this `_id`, with only the fields the projection keeps (all without one), or null.
  findById(id: string, projection?: mongo.Document): Promise<T | null> {
    return new Promise((resolve, reject) =>
      this.enqueue(() => {
        const key = projection ? JSON.stringify(projection) : '';
        const group = this.reads.get(key) ?? { projection, byId: new Map<string, Waiting<T | null>[]>() };
        const waiting = group.byId.get(id) ?? [];
        waiting.push({ resolve, reject });
        group.byId.set(id, waiting);
        this.reads.set(key, group);
      }),
    );
  }

  private enqueue(add: () => void): void {
    add();
    if (this.scheduled) return;
    this.scheduled = true;
    // After the I/O callbacks of this turn: every delivery or request that one socket read brought is queued by then.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const inserts = this.inserts;
    const updates = this.updates;
    const reads = this.reads;
    this.inserts = [];
    this.updates = [];
    this.reads = new Map();
    for (const chunk of chunks(inserts, this.maxBatch)) void this.insertChunk(chunk);
    for (const chunk of chunks(updates, this.maxBatch)) void this.updateChunk(chunk);
    for (const { projection, byId } of reads.values()) {
      for (const chunk of chunks([...byId], this.maxBatch)) void this.readChunk(chunk, projection);
    }
  }

  private async insertChunk(queued: QueuedWrite<T>[]): Promise<void> {
    await this.write(queued, { insert: this.name, documents: queued.map((q) => q.write), ordered: false });
  }

  private async updateChunk(queued: QueuedWrite<{ filter: Filter<T>; update: Update<T> }>[]): Promise<void> {
    const updates = queued.map(({ write }) => ({ q: write.filter, u: write.update }));
    await this.write(queued, { update: this.name, updates, ordered: false });
  }

  private async readChunk(queued: [string, Waiting<T | null>[]][], projection?: mongo.Document): Promise<void> {
    try {
      const ids = queued.map(([id]) => id);
      const found = await (
        await this.db()
      )
        .collection<T>(this.name)
        .find({ _id: { $in: ids } } as Filter<T>, { projection, batchSize: ids.length })
        .toArray();
      const byId = new Map(found.map((doc) => [String(doc._id), doc as T]));
      for (const [id, waiting] of queued) waiting.forEach((w) => w.resolve(byId.get(id) ?? null));
    } catch (err) {
      for (const [, waiting] of queued) waiting.forEach((w) => w.reject(err));
    }
  }

  // The command itself rather than the driver's bulk API: that one wraps a lost connection in a bulk error, and
  // callers must still tell "the database is down" from "this document was refused". An unordered command applies
  // every document it can and names the ones that failed by index: only those callers are told, each with an error
  // of its own (a duplicate key keeps its code).
  private async write(queued: Waiting<void>[], command: mongo.Document): Promise<void> {
    let reply: mongo.Document;
    try {
      // As mongoose writes (and the connection's driver calls): a field left undefined is not written at all.
      reply = await (await this.db()).command(command, { ignoreUndefined: true });
    } catch (err) {
      queued.forEach((q) => q.reject(err));
      return;
    }
    const failed = new Map(((reply.writeErrors ?? []) as WriteError[]).map((w) => [w.index, w]));
    queued.forEach((q, index) => {
      const writeError = failed.get(index);
      if (!writeError) q.resolve();
      else q.reject(new mongo.MongoServerError({ errmsg: writeError.errmsg ?? 'write failed', code: writeError.code }));
    });
  }

  // Before the connection first opens, commands wait for it as long as mongoose would buffer its own, then fail as
  // the database being unreachable; afterwards mongoose reconnects the same Db.
  private async db(): Promise<mongo.Db> {
    if (this.connection.db) return this.connection.db;
    await new Promise<void>((resolve, reject) => {
      const opened = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connection.off('open', opened);
        reject(new mongo.MongoNotConnectedError('the database connection has not opened yet'));
      }, openWaitMs);
      this.connection.once('open', opened);
    });
    return this.connection.db!;
  }
}

interface WriteError {
  index: number;
  code: number;
  errmsg?: string;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

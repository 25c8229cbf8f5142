import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { declareExchanges, topologyNames } from '@crm/messaging';

// Of the leads given to `countedAmong`, the ids already counted by the last process of the chain.
export type CountedProbe = (leadIds: string[]) => Promise<string[]>;

// When each accepted lead completed, seen from outside: `deal.opened` is tapped on the broker (a queue of our own
// bound to the run's exchange; the event carries the lead id), and "counted" is read from the counting process's
// own database by polling the oldest pending leads by _id (for the system: reporting's lead journey holds the
// deal; for the floor: its last hop's document exists). Polling adds up to one interval plus one query to the
// counted times, the same for system and floor.
export class CompletionTracker {
  readonly opened = new Map<string, number>();
  readonly counted = new Map<string, number>();
  private readonly pending: string[] = [];
  private polling = true;
  private readonly poller: Promise<void>;

  private constructor(
    private readonly model: ChannelModel,
    private readonly probe: CountedProbe,
    private readonly pollIntervalMs: number,
    private readonly pollBatch: number,
  ) {
    this.poller = this.poll();
  }

  static async start(
    amqpUrl: string,
    namespace: string,
    leadIdOf: (content: Buffer) => string,
    probe: CountedProbe,
    pollIntervalMs = 50,
    pollBatch = 100,
  ): Promise<CompletionTracker> {
    const model = await amqp.connect(amqpUrl);
    model.on('error', () => undefined);
    const channel: Channel = await model.createChannel();
    const names = topologyNames(namespace);
    await declareExchanges(channel, names);
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, names.exchange, 'deal.opened');
    const tracker = new CompletionTracker(model, probe, pollIntervalMs, pollBatch);
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        const at = performance.now();
        const leadId = leadIdOf(message.content);
        if (!tracker.opened.has(leadId)) tracker.opened.set(leadId, at);
      },
      { noAck: true },
    );
    return tracker;
  }

  accepted(leadId: string): void {
    this.pending.push(leadId);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  // Resolves once every lead given is counted, or at the deadline; returns how many are still missing.
  async drain(leadIds: string[], timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const missing = leadIds.filter((id) => !this.counted.has(id)).length;
      if (missing === 0 || performance.now() > deadline) return missing;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    this.polling = false;
    await this.poller;
    await this.model.close().catch(() => undefined);
  }

  private async poll(): Promise<void> {
    while (this.polling) {
      const batch = this.pending.slice(0, this.pollBatch);
      if (batch.length > 0) {
        try {
          const done = await this.probe(batch);
          const at = performance.now();
          for (const id of done) this.counted.set(id, at);
          if (done.length > 0) {
            const finished = new Set(done);
            for (let i = this.pending.length - 1; i >= 0; i--) if (finished.has(this.pending[i])) this.pending.splice(i, 1);
          }
        } catch {
          // A failed poll is tried again at the next interval.
        }
      }
      await new Promise((r) => setTimeout(r, this.pollIntervalMs));
    }
  }
}

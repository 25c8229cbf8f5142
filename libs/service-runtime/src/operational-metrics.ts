import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '@crm/logging';
import type { AmqpConnection, OutboxSource, TopologyNames } from '@crm/messaging';

// prom-client asks every metric of a scrape at once: gauges filled by one query share one run of it per scrape.
class SharedRun {
  private running?: Promise<void>;

  constructor(private readonly work: () => Promise<void>) {}

  run(): Promise<void> {
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}

// What operators watch a backlog by, measured when Prometheus scrapes /metrics: the depth and consumer count of
// this service's queues, its dead letters, and its outboxes' unpublished events and their age. A scrape that cannot
// reach the broker or the database leaves the last values (and logs why at debug level); `crm_service_ready` says
// whether the service itself is ready.
export class OperationalMetrics {
  private readonly consumers = new Set<string>();
  private readonly outboxes = new Map<string, OutboxSource>();
  private readonly queueMessages: Gauge;
  private readonly queueConsumers: Gauge;
  private readonly outboxPending: Gauge;
  private readonly outboxOldest: Gauge;
  private readonly queues = new SharedRun(() => this.collectQueues());
  private readonly outboxScan = new SharedRun(() => this.collectOutboxes());

  constructor(
    registry: Registry,
    private readonly amqp: AmqpConnection,
    private readonly names: TopologyNames,
    private readonly logger: Logger,
  ) {
    const fromQueues = () => this.queues.run();
    const fromOutboxes = () => this.outboxScan.run();
    this.queueMessages = new Gauge({
      name: 'crm_queue_messages',
      help: 'Messages ready in a queue of this service: its consumer queue (kind="consumer") or its dead letters (kind="dead_letter")',
      labelNames: ['queue', 'kind'],
      registers: [registry],
      collect: fromQueues,
    });
    this.queueConsumers = new Gauge({
      name: 'crm_queue_consumers',
      help: 'Consumers attached to a consumer queue of this service (every copy counts)',
      labelNames: ['queue'],
      registers: [registry],
      collect: fromQueues,
    });
    this.outboxPending = new Gauge({
      name: 'crm_outbox_pending_events',
      help: 'Events stored in an outbox and not yet published',
      labelNames: ['collection'],
      registers: [registry],
      collect: fromOutboxes,
    });
    this.outboxOldest = new Gauge({
      name: 'crm_outbox_oldest_event_age_seconds',
      help: 'Age of the oldest event not yet published from an outbox (0 when none waits)',
      labelNames: ['collection'],
      registers: [registry],
      collect: fromOutboxes,
    });
    const ready: Gauge = new Gauge({
      name: 'crm_service_ready',
      help: '1 while the service is ready (as /readyz answers at the scrape), else 0',
      registers: [registry],
      collect: async (): Promise<void> => ready.set((await this.isReady()) ? 1 : 0),
    });
  }

  // What readiness is, asked at each scrape; not ready until the service says how to tell.
  private isReady: () => Promise<boolean> = async () => false;

  watchReadiness(isReady: () => Promise<boolean>): void {
    this.isReady = isReady;
  }

  watchConsumer(consumer: string): void {
    this.consumers.add(consumer);
  }

  watchOutbox(source: OutboxSource): void {
    this.outboxes.set(source.collection.collectionName, source);
  }

  private async collectQueues(): Promise<void> {
    if (this.consumers.size === 0) return;
    try {
      await this.amqp.withChannel(async (channel) => {
        for (const consumer of this.consumers) {
          const live = await channel.checkQueue(this.names.queue(consumer));
          this.queueMessages.set({ queue: consumer, kind: 'consumer' }, live.messageCount);
          this.queueConsumers.set({ queue: consumer }, live.consumerCount);
          const dead = await channel.checkQueue(this.names.deadLetterQueue(consumer));
          this.queueMessages.set({ queue: consumer, kind: 'dead_letter' }, dead.messageCount);
        }
      });
    } catch (err) {
      this.logger.debug({ err }, 'queue metrics not refreshed: the broker did not answer');
    }
  }

  // A scan of the documents with pending events (mongo-java-server ignores the outboxPending index): run per scrape,
  // never per request or message, and bounded.
  private async collectOutboxes(): Promise<void> {
    for (const [collection, source] of this.outboxes) {
      try {
        const docs = await source.collection
          .find({ outboxPending: true }, { projection: { 'outbox.occurredAt': 1 } })
          .limit(10_000)
          .toArray();
        const times = docs.flatMap((doc) =>
          ((doc.outbox ?? []) as { occurredAt: Date }[]).map((event) => new Date(event.occurredAt).getTime()),
        );
        this.outboxPending.set({ collection }, times.length);
        this.outboxOldest.set({ collection }, times.length === 0 ? 0 : Math.max(0, (Date.now() - Math.min(...times)) / 1000));
      } catch (err) {
        this.logger.debug({ err, collection }, 'outbox metrics not refreshed: the database did not answer');
      }
    }
  }
}

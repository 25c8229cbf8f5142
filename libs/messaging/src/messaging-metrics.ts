import { Counter, Histogram, type Registry } from 'prom-client';

// Prometheus metrics of the messaging layer, registered on the service's registry.
export class MessagingMetrics {
  readonly consumed: Counter<'consumer' | 'type' | 'outcome'>;
  readonly handlingSeconds: Histogram<'consumer' | 'type'>;
  readonly published: Counter<'type'>;
  readonly publishFailures: Counter;

  constructor(registry: Registry) {
    this.consumed = new Counter({
      name: 'crm_messages_consumed_total',
      help: 'Messages taken from a queue, by outcome (handled, duplicate, retried, dead_lettered, requeued)',
      labelNames: ['consumer', 'type', 'outcome'],
      registers: [registry],
    });
    this.handlingSeconds = new Histogram({
      name: 'crm_message_handling_seconds',
      help: 'Time spent handling one message',
      labelNames: ['consumer', 'type'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
    this.published = new Counter({
      name: 'crm_events_published_total',
      help: 'Events published with a broker confirm',
      labelNames: ['type'],
      registers: [registry],
    });
    this.publishFailures = new Counter({
      name: 'crm_outbox_publish_failures_total',
      help: 'Outbox relay batches that could not be published and will be tried again',
      registers: [registry],
    });
  }
}

import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { decodeEvent, isEventType } from '@crm/contracts';
import type { Logger } from '@crm/logging';
import type { AmqpConnection, ConnectionSetup } from '../connection/amqp-connection';
import { settleWithin } from '../connection/with-timeout';
import { isStoreUnavailableError } from '@crm/persistence';
import { SpanKind, traced, traceparentKey } from '@crm/tracing';
import type { Inbox } from '../inbox/inbox';
import type { MessagingMetrics } from '../messaging-metrics';
import { declareConsumerQueue, type TopologyNames } from '../topology/topology';
import { GivenBackOnStopError, UnprocessableEventError, type EventHandlers, type ReceivedEvent } from './received-event';
import { onHandlingFailure, type RetryPolicy } from './retry-policy';

export interface EventConsumerOptions {
  // Durable consumer name, e.g. "deals.lead-events": names its queue and its inbox records.
  consumer: string;
  handlers: EventHandlers;
  names: TopologyNames;
  logger: Logger;
  prefetch: number;
  retry: RetryPolicy;
  // De-duplication by messageId; without it the handlers themselves must be idempotent.
  inbox?: Inbox;
  // 'claim' (the default) runs a handler once per messageId: a claim is written before it runs and completed after.
  // 'record' is for handlers that give the same outcome however often a message comes (projections that ignore a
  // repeat, a status that only moves forward): they run without a claim and the inbox only records the message as
  // handled, one write per message instead of two.
  deduplication?: 'claim' | 'record';
  metrics?: MessagingMetrics;
}

// Consumes one queue with manual acks. A failed message is requeued after a backoff delay until the queue's
// delivery limit, then dead-lettered; an undecodable one is dead-lettered at once. Survives reconnections.
export class EventConsumer {
  private channel?: Channel;
  private consumerTag?: string;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly delayedRetries = new Map<NodeJS.Timeout, () => void>();
  private readonly log: Logger;
  private readonly setup: ConnectionSetup = (model) => this.subscribe(model);

  constructor(
    private readonly connection: AmqpConnection,
    private readonly options: EventConsumerOptions,
  ) {
    this.log = options.logger.child({ consumer: options.consumer });
  }

  // The consumer's durable name (its queue, dead-letter queue and inbox records).
  get name(): string {
    return this.options.consumer;
  }

  async start(): Promise<void> {
    await this.connection.attach(this.setup);
  }

  isReady(): boolean {
    return this.consumerTag !== undefined;
  }

  // Stops taking messages, lets the ones in hand finish (up to timeoutMs), requeues those waiting for a retry.
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.connection.detach(this.setup);
    const channel = this.channel;
    if (channel && this.consumerTag) await settleWithin(channel.cancel(this.consumerTag), 2000);
    this.consumerTag = undefined;
    for (const [timer, requeueNow] of this.delayedRetries) {
      clearTimeout(timer);
      requeueNow();
    }
    this.delayedRetries.clear();
    await settleWithin(Promise.allSettled([...this.inFlight]), timeoutMs);
    this.channel = undefined;
    if (channel) await settleWithin(channel.close(), 2000);
  }

  private async subscribe(model: ChannelModel): Promise<void> {
    const { consumer, names, handlers, prefetch, retry } = this.options;
    const channel = await model.createChannel();
    channel.on('error', (err) => this.log.warn({ err: err.message }, 'consumer channel error'));
    channel.on('close', () => this.onChannelClosed(channel));
    await channel.prefetch(prefetch);
    await declareConsumerQueue(channel, names, {
      consumer,
      routingKeys: Object.keys(handlers),
      maxDeliveries: retry.maxDeliveries,
    });
    this.channel = channel;
    const { consumerTag } = await channel.consume(names.queue(consumer), (message) => {
      if (message === null) {
        // The broker cancelled us (queue deleted, say): subscribe again on a fresh channel.
        this.log.warn('consumer cancelled by the broker; subscribing again');
        void channel.close().catch(() => undefined);
        return;
      }
      this.track(this.handle(channel, message));
    });
    this.consumerTag = consumerTag;
  }

  private onChannelClosed(channel: Channel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.consumerTag = undefined;
    if (this.stopping) return;
    this.resubscribe(1);
  }

  // A channel can close while the connection stays up; then no reconnect would rebuild it, so keep trying with
  // backoff until subscribed (a reconnect of the whole connection also ends this, through the setup).
  private resubscribe(attempt: number): void {
    const delayMs = Math.min(30_000, 1000 * 2 ** (attempt - 1));
    setTimeout(() => {
      if (this.stopping || this.channel) return;
      this.connection.rerun(this.setup).then(
        (ran) => {
          if (!ran && !this.stopping && !this.channel) this.resubscribe(attempt + 1);
        },
        (err: Error) => {
          this.log.warn({ err: err.message, attempt }, 'could not resubscribe; will try again');
          this.resubscribe(attempt + 1);
        },
      );
    }, delayMs).unref();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  // Each delivery is a span of the trace its producer handed on (the traceparent header), so what the handler stores
  // and publishes continues that trace.
  private handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const type = String(message.properties.type ?? message.fields.routingKey);
    const parent: unknown = message.properties.headers?.[traceparentKey];
    const attributes = {
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': this.options.consumer,
      'messaging.message.id': String(message.properties.messageId ?? ''),
    };
    return traced(`process ${type}`, { kind: SpanKind.CONSUMER, parent: typeof parent === 'string' ? parent : undefined, attributes }, () =>
      this.process(channel, message, type),
    );
  }

  private async process(channel: Channel, message: ConsumeMessage, type: string): Promise<void> {
    const { consumer, inbox, metrics, retry } = this.options;
    const deliveryCount = Number(message.properties.headers?.['x-delivery-count'] ?? 0);
    const messageLog = this.log.child({ messageId: String(message.properties.messageId ?? ''), type, deliveryCount });
    const stopTimer = metrics?.handlingSeconds.startTimer({ consumer, type });
    let outcome = 'handled';
    try {
      const event = this.decode(type, message, deliveryCount);
      if (inbox && this.options.deduplication === 'record') {
        await this.whileStoreDown(messageLog, () => this.dispatch(event));
        await this.whileStoreDown(messageLog, () => inbox.record(consumer, event.id));
      } else {
        outcome = await this.handleOnce(event, messageLog);
      }
      this.settle(channel, () => channel.ack(message));
    } catch (err) {
      if (err instanceof GivenBackOnStopError) {
        outcome = 'requeued';
        this.settle(channel, () => channel.nack(message, false, true));
        return;
      }
      const permanent = err instanceof UnprocessableEventError;
      const decision = onHandlingFailure(retry, deliveryCount, permanent);
      const error = err instanceof Error ? err.message : String(err);
      if (decision.action === 'dead-letter') {
        outcome = 'dead_lettered';
        messageLog.error({ err: error }, 'message dead-lettered');
        this.settle(channel, () => channel.reject(message, false));
      } else {
        outcome = 'retried';
        messageLog.warn({ err: error, retryInMs: decision.delayMs }, 'message handling failed; will retry');
        this.retryLater(channel, message, decision.delayMs);
      }
    } finally {
      stopTimer?.();
      metrics?.consumed.inc({ consumer, type, outcome });
    }
  }

  // Runs the handler under the inbox's claim (or, without an inbox, just runs it): 'duplicate' when the message was
  // handled before.
  private async handleOnce(event: ReceivedEvent, messageLog: Logger): Promise<'handled' | 'duplicate'> {
    const { consumer, inbox } = this.options;
    const claim = inbox ? await this.whileStoreDown(messageLog, () => inbox.claim(consumer, event.id, () => this.stopping)) : undefined;
    if (claim === 'done') return 'duplicate';
    try {
      await this.whileStoreDown(messageLog, () => this.dispatch(event));
    } catch (err) {
      await claim?.release();
      throw err;
    }
    if (claim) await this.whileStoreDown(messageLog, () => claim.complete());
    return 'handled';
  }

  // Runs a step again, with backoff, for as long as the database cannot be reached. The message stays in hand
  // meanwhile: an outage is nobody's fault, so it must not spend the message's deliveries and send it to the
  // dead-letter queue. A consumer that stops gives the message back instead of waiting on.
  private async whileStoreDown<T>(messageLog: Logger, step: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (err) {
        if (!isStoreUnavailableError(err)) throw err;
        if (this.stopping) throw new GivenBackOnStopError('the database could not be reached');
        if (attempt === 1 || attempt % 10 === 0) {
          messageLog.warn({ err: (err as Error).message, attempt }, 'database unreachable; holding the message until it answers');
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  private decode(type: string, message: ConsumeMessage, deliveryCount: number): ReceivedEvent {
    const id: unknown = message.properties.messageId;
    if (typeof id !== 'string' || id === '') throw new UnprocessableEventError('message has no messageId');
    if (!isEventType(type) || !this.options.handlers[type]) {
      throw new UnprocessableEventError(`no handler for event type "${type}"`);
    }
    let payload: ReceivedEvent['payload'];
    try {
      payload = decodeEvent(type, message.content);
    } catch (err) {
      throw new UnprocessableEventError(`undecodable ${type} body: ${(err as Error).message}`);
    }
    const header: unknown = message.properties.headers?.['x-occurred-at'];
    const occurredAt =
      typeof header === 'string' && !Number.isNaN(Date.parse(header))
        ? new Date(header)
        : new Date((Number(message.properties.timestamp) || Date.now() / 1000) * 1000);
    return { id, type, payload, occurredAt, producer: String(message.properties.appId ?? ''), deliveryCount, body: message.content };
  }

  private dispatch(event: ReceivedEvent): Promise<void> {
    const handler = this.options.handlers[event.type] as ((e: ReceivedEvent) => Promise<void>) | undefined;
    if (!handler) throw new UnprocessableEventError(`no handler for event type "${event.type}"`);
    return handler(event);
  }

  private retryLater(channel: Channel, message: ConsumeMessage, delayMs: number): void {
    const requeueNow = () => this.settle(channel, () => channel.nack(message, false, true));
    const timer = setTimeout(() => {
      this.delayedRetries.delete(timer);
      requeueNow();
    }, delayMs);
    this.delayedRetries.set(timer, requeueNow);
  }

  // Acks must go to the channel that delivered the message; if it is gone, the broker redelivers anyway.
  private settle(channel: Channel, action: () => void): void {
    if (this.channel !== channel && !this.stopping) return;
    try {
      action();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not settle a message; the broker will redeliver it');
    }
  }
}

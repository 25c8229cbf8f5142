import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { activeTraceparent, SpanKind, traced, traceparentKey } from '@crm/tracing';
import type { AmqpConnection, ConnectionSetup } from '../connection/amqp-connection';
import { settleWithin } from '../connection/with-timeout';
import { declareExchanges, type TopologyNames } from '../topology/topology';
import type { OutgoingEvent } from './outgoing-event';

export class PublisherNotConnectedError extends Error {
  constructor() {
    super('not connected to RabbitMQ');
  }
}

// Publishes events to the crm.events exchange on a confirm channel: a publish resolves only once the broker has
// taken responsibility for the message (persistent, so it survives a broker restart).
export class EventPublisher {
  private channel?: ConfirmChannel;
  private readonly setup: ConnectionSetup = async (model: ChannelModel) => {
    const channel = await model.createConfirmChannel();
    channel.on('error', () => undefined); // the close that follows is what matters
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await declareExchanges(channel, this.names);
    this.channel = channel;
  };

  constructor(
    private readonly connection: AmqpConnection,
    private readonly names: TopologyNames,
  ) {}

  async start(): Promise<void> {
    await this.connection.attach(this.setup);
  }

  isReady(): boolean {
    return this.channel !== undefined;
  }

  // Publishes all events, then waits for every confirm. Rejects if any is refused or the channel goes away;
  // the caller keeps the events (in its outbox) and tries again later, so nothing is lost.
  async publish(events: OutgoingEvent[]): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new PublisherNotConnectedError();
    // Each publish is a span of the trace the event was caused in (kept with it in the outbox), and hands that trace
    // on in the message's traceparent header.
    const confirms = events.map((event) =>
      traced(
        `publish ${event.type}`,
        {
          kind: SpanKind.PRODUCER,
          parent: event.traceparent,
          attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': event.type, 'messaging.message.id': event.id },
        },
        () =>
          new Promise<void>((resolve, reject) => {
            const traceparent = activeTraceparent();
            channel.publish(
              this.names.exchange,
              event.type,
              event.body,
              {
                persistent: true,
                messageId: event.id,
                type: event.type,
                timestamp: Math.floor(event.occurredAt.getTime() / 1000),
                appId: this.connection.appId,
                contentType: 'application/protobuf',
                headers: { 'x-occurred-at': event.occurredAt.toISOString(), ...(traceparent && { [traceparentKey]: traceparent }) },
              },
              (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
            );
          }),
      ),
    );
    await Promise.all(confirms);
  }

  async stop(): Promise<void> {
    this.connection.detach(this.setup);
    const channel = this.channel;
    this.channel = undefined;
    if (channel) await settleWithin(channel.close(), 2000);
  }
}

import amqp, { type Channel, type ChannelModel, type ConsumeMessage, type Options } from 'amqplib';
import { decodeEvent, isEventType, type EventPayload, type EventType } from '@crm/contracts';
import { declareExchanges, deleteTopology, topologyNames, type TopologyNames } from '@crm/messaging';
import { waitFor } from './wait-for';

export interface TappedMessage {
  routingKey: string;
  properties: ConsumeMessage['properties'];
  content: Buffer;
}

// Looks at the real broker from the outside: taps the events exchange, publishes raw messages, reads queues and
// dead-letter queues, and removes a test namespace's queues and exchanges afterwards.
export class BrokerProbe {
  readonly names: TopologyNames;
  private readonly tapped: TappedMessage[] = [];

  private constructor(
    private readonly model: ChannelModel,
    private readonly channel: Channel,
    readonly namespace: string,
  ) {
    this.names = topologyNames(namespace);
  }

  static async connect(amqpUrl: string, namespace: string): Promise<BrokerProbe> {
    const model = await amqp.connect(amqpUrl);
    model.on('error', () => undefined);
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    return new BrokerProbe(model, channel, namespace);
  }

  // Records every message published to the events exchange with these routing keys from now on.
  async tap(routingKeys: string[] = ['#']): Promise<void> {
    const names = this.names;
    await declareExchanges(this.channel, names);
    const { queue } = await this.channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const key of routingKeys) await this.channel.bindQueue(queue, names.exchange, key);
    await this.channel.consume(
      queue,
      (message) => {
        if (message) this.tapped.push({ routingKey: message.fields.routingKey, properties: message.properties, content: message.content });
      },
      { noAck: true },
    );
  }

  messages(type?: string): TappedMessage[] {
    return type ? this.tapped.filter((m) => m.routingKey === type) : [...this.tapped];
  }

  events<T extends EventType>(type: T): EventPayload<T>[] {
    return this.messages(type).map((m) => decodeEvent(type, m.content));
  }

  async waitForEvents<T extends EventType>(type: T, count: number, timeoutMs = 15_000): Promise<EventPayload<T>[]> {
    return waitFor(`${count} ${type} event(s)`, () => (this.messages(type).length >= count ? this.events(type) : undefined), { timeoutMs });
  }

  async publishRaw(routingKey: string, content: Buffer, properties: Options.Publish): Promise<void> {
    await declareExchanges(this.channel, this.names);
    this.channel.publish(this.names.exchange, routingKey, content, { persistent: true, ...properties });
  }

  // Puts a message straight into a queue, e.g. the unrouted one (the probe's own tap takes every routing key, so
  // nothing published while it listens is unrouted).
  async sendToQueue(queue: string, content: Buffer, properties: Options.Publish): Promise<void> {
    this.channel.sendToQueue(queue, content, { persistent: true, ...properties });
    await this.channel.checkQueue(queue);
  }

  async publishEvent<T extends EventType>(type: T, id: string, body: Buffer): Promise<void> {
    if (!isEventType(type)) throw new Error(`unknown event type ${String(type)}`);
    await this.publishRaw(type, body, {
      messageId: id,
      type,
      timestamp: Math.floor(Date.now() / 1000),
      appId: 'test',
      contentType: 'application/protobuf',
    });
  }

  async queueDepth(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  async deadLetters(consumer: string): Promise<TappedMessage[]> {
    return this.peek(this.names.deadLetterQueue(consumer));
  }

  // Reads every message of a queue and puts them back.
  async peek(queue: string): Promise<TappedMessage[]> {
    const found: TappedMessage[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: false });
      if (!message) break;
      found.push({ routingKey: message.fields.routingKey, properties: message.properties, content: message.content });
    }
    // Leave them in the queue: nack all we looked at.
    if (found.length > 0) this.channel.nackAll(true);
    return found;
  }

  async deleteQueue(queue: string): Promise<void> {
    await this.channel.deleteQueue(queue);
  }

  async deleteTopology(consumers: string[]): Promise<void> {
    await deleteTopology(this.model, this.names, consumers);
  }

  async close(): Promise<void> {
    await this.model.close().catch(() => undefined);
  }
}

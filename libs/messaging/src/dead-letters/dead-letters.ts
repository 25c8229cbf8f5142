import type { Channel, ConfirmChannel, GetMessage } from 'amqplib';
import type { TopologyNames } from '../topology/topology';

export interface DeadLetter {
  messageId: string;
  type: string;
  reason: string;
  deadLetteredAt: Date | undefined;
  bodyBytes: number;
}

// Headers the broker added on the way to the dead-letter queue; a replayed message starts afresh without them.
const deathHeaders = ['x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'x-delivery-count'];

function describe(message: GetMessage): DeadLetter {
  const headers = message.properties.headers ?? {};
  const death = Array.isArray(headers['x-death']) ? headers['x-death'][0] : undefined;
  const time = death?.time as { value?: number } | Date | undefined;
  return {
    messageId: String(message.properties.messageId ?? ''),
    type: String(message.properties.type ?? message.fields.routingKey),
    reason: String(headers['x-first-death-reason'] ?? death?.reason ?? ''),
    deadLetteredAt: time instanceof Date ? time : typeof time?.value === 'number' ? new Date(time.value * 1000) : undefined,
    bodyBytes: message.content.length,
  };
}

// Lists up to `limit` dead letters of a consumer without taking them out of its dead-letter queue.
export async function listDeadLetters(channel: Channel, names: TopologyNames, consumer: string, limit: number): Promise<DeadLetter[]> {
  const found: DeadLetter[] = [];
  for (let i = 0; i < limit; i++) {
    const message = await channel.get(names.deadLetterQueue(consumer), { noAck: false });
    if (!message) break;
    found.push(describe(message));
  }
  if (found.length > 0) channel.nackAll(true);
  return found;
}

// Moves up to `limit` dead letters back to the consumer's own queue (not the exchange, so no other consumer sees
// them again). Each is republished with a broker confirm before it leaves the dead-letter queue: a crash in between
// leaves a copy in both, never in neither, and the consumer's inbox drops the duplicate.
export async function replayDeadLetters(
  channel: ConfirmChannel,
  names: TopologyNames,
  consumer: string,
  limit: number,
): Promise<DeadLetter[]> {
  const replayed: DeadLetter[] = [];
  for (let i = 0; i < limit; i++) {
    const message = await channel.get(names.deadLetterQueue(consumer), { noAck: false });
    if (!message) break;
    const headers = { ...(message.properties.headers ?? {}) };
    for (const header of deathHeaders) delete headers[header];
    await new Promise<void>((resolve, reject) =>
      channel.sendToQueue(names.queue(consumer), message.content, { ...message.properties, headers, persistent: true }, (err) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
      ),
    );
    channel.ack(message);
    replayed.push(describe(message));
  }
  return replayed;
}

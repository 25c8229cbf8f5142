import type { Channel, GetMessage } from 'amqplib';
import { decodeEvent, isEventType, subjectOf } from '@crm/contracts';

// The lead a kept message is about, from its type and protobuf body; undefined when it does not decode.
function subjectOfMessage(message: GetMessage): string | undefined {
  const type = String(message.properties.type ?? message.fields.routingKey);
  if (!isEventType(type)) return undefined;
  try {
    return subjectOf(type, decodeEvent(type, message.content));
  } catch {
    return undefined;
  }
}

// Removes from a queue that keeps messages for people to look at (a dead-letter queue, the unrouted queue) every
// message about the erased lead; the others go back, in their order. A message that does not decode names no one
// and stays. Each message is held (unacknowledged) until all were looked at, so a crash meanwhile returns them all.
export async function removeMessagesAbout(channel: Channel, queue: string, leadId: string): Promise<number> {
  const { messageCount } = await channel.checkQueue(queue);
  let removed = 0;
  for (let i = 0; i < messageCount; i++) {
    const message = await channel.get(queue, { noAck: false });
    if (!message) break;
    if (subjectOfMessage(message) === leadId) {
      channel.ack(message);
      removed++;
    }
  }
  channel.nackAll(true);
  return removed;
}

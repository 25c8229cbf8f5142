import type { EventType } from '@crm/contracts';
import type { BrokerProbe, TappedMessage } from './broker-probe';
import { uniqueId } from './test-infra';
import { waitFor } from './wait-for';

// Messages a consumer can never handle, whatever it retries: the body does not decode as the event, the type names
// no event, or there is no message id to de-duplicate on.
export const poisonKinds = ['undecodable body', 'unknown event type', 'no message id'] as const;
export type PoisonKind = (typeof poisonKinds)[number];

// Publishes such a message with this routing key (so it lands on the queues bound to it); returns the correlation id
// its dead letter keeps.
export async function publishPoison(probe: BrokerProbe, routingKey: EventType, kind: PoisonKind): Promise<string> {
  const marker = uniqueId('poison-');
  const properties = {
    correlationId: marker,
    contentType: 'application/protobuf',
    appId: 'test',
    timestamp: Math.floor(Date.now() / 1000),
  };
  if (kind === 'undecodable body') {
    // A length-delimited field 1 claiming more bytes than follow.
    await probe.publishRaw(routingKey, Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x00]), { ...properties, messageId: marker, type: routingKey });
  } else if (kind === 'unknown event type') {
    await probe.publishRaw(routingKey, Buffer.alloc(0), { ...properties, messageId: marker, type: 'lead.exploded' });
  } else {
    await probe.publishRaw(routingKey, Buffer.alloc(0), { ...properties, type: routingKey });
  }
  return marker;
}

export function waitForDeadLetter(probe: BrokerProbe, consumer: string, marker: string): Promise<TappedMessage> {
  return waitFor(`the dead letter ${marker} of ${consumer}`, async () =>
    (await probe.deadLetters(consumer)).find((m) => m.properties.correlationId === marker),
  );
}

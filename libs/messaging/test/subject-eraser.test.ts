import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { Deal, DealOpened, encodeEvent, LeadCaptured, LeadQualified } from '@crm/contracts';
import { testInfra, uniqueId } from '@crm/testing';
import { removeMessagesAbout } from '../src';

// Removing an erased lead's messages from a queue that keeps them, on a real RabbitMQ.
describe('removeMessagesAbout', () => {
  let model: ChannelModel;
  let channel: Channel;
  const queue = uniqueId('kept-');

  beforeAll(async () => {
    model = await amqp.connect(testInfra().amqpUrl);
    channel = await model.createChannel();
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 1_000_000 } });
  });

  afterAll(async () => {
    await channel?.deleteQueue(queue);
    await model?.close();
  });

  const send = async (type: string, content: Buffer, messageId: string) => {
    channel.sendToQueue(queue, content, { persistent: true, type, messageId });
    await channel.checkQueue(queue);
  };
  const left = async () => {
    const ids: string[] = [];
    for (let message = await channel.get(queue); message; message = await channel.get(queue))
      ids.push(String(message.properties.messageId));
    channel.nackAll(true);
    return ids;
  };

  it('takes out every message about the lead, whatever the event, and leaves the others in their order', async () => {
    const at = new Date();
    await send(
      'lead.captured',
      encodeEvent('lead.captured', LeadCaptured.fromPartial({ occurredAt: at, lead: { id: 'a', name: 'Ana' } })),
      'a-captured',
    );
    await send(
      'lead.captured',
      encodeEvent('lead.captured', LeadCaptured.fromPartial({ occurredAt: at, lead: { id: 'b' } })),
      'b-captured',
    );
    await send('lead.qualified', encodeEvent('lead.qualified', LeadQualified.fromPartial({ occurredAt: at, leadId: 'a' })), 'a-qualified');
    await send(
      'deal.opened',
      encodeEvent('deal.opened', DealOpened.fromPartial({ occurredAt: at, deal: Deal.fromPartial({ id: 'd', leadId: 'a' }) })),
      'a-deal',
    );
    await send('lead.captured', Buffer.from([0xff, 0xff, 0xff]), 'undecodable');
    await send('no.such.type', Buffer.from('a'), 'unknown-type');

    expect(await removeMessagesAbout(channel, queue, 'a')).toBe(3);
    expect(await left()).toEqual(['b-captured', 'undecodable', 'unknown-type']);
    expect(await removeMessagesAbout(channel, queue, 'a')).toBe(0);
    expect(await left()).toEqual(['b-captured', 'undecodable', 'unknown-type']);
  });
});

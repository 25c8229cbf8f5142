import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import amqp, { type ConfirmChannel } from 'amqplib';
import mongoose from 'mongoose';
import { declareConsumerQueue, declareExchanges, topologyNames } from '@crm/messaging';

// The floor: the system's I/O with no logic, one process per service, so its figures bound what the services could
// reach on this machine. The intake inserts the posted body and publishes lead.captured with a confirm before it
// answers; each hop consumes, inserts one document, publishes the next event with a confirm, then acks. Queues
// are declared exactly as the services declare theirs (quorum, dead-lettering), with the same prefetch.
export const floorHops = [
  { role: 'hop-qualify', consumer: 'floor.qualify', from: 'lead.captured', to: 'lead.qualified', collection: 'qualifications' },
  { role: 'hop-deal', consumer: 'floor.deal', from: 'lead.qualified', to: 'deal.opened', collection: 'deals' },
  { role: 'hop-count', consumer: 'floor.count', from: 'deal.opened', to: 'floor.counted', collection: 'counted' },
] as const;

export const floorRoles = ['floor-intake', ...floorHops.map((h) => h.role)] as const;

function confirmedPublish(channel: ConfirmChannel, exchange: string, type: string, leadId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(
      exchange,
      type,
      Buffer.from(JSON.stringify({ leadId })),
      { persistent: true, messageId: randomUUID(), type, appId: 'floor', contentType: 'application/json' },
      (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    );
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function runFloorRole(role: string): Promise<void> {
  const env = process.env;
  const names = topologyNames(env.AMQP_NAMESPACE ?? '');
  const db = await mongoose.createConnection(env.MONGO_URL ?? '').asPromise();
  const broker = await amqp.connect(env.AMQP_URL ?? '');
  const channel = await broker.createConfirmChannel();
  await declareExchanges(channel, names);
  const hop = floorHops.find((h) => h.role === role);
  if (hop) {
    const leads = db.collection(hop.collection);
    await declareConsumerQueue(channel, names, { consumer: hop.consumer, routingKeys: [hop.from], maxDeliveries: 5 });
    const consumeChannel = await broker.createChannel();
    await consumeChannel.prefetch(Number(env.AMQP_PREFETCH ?? 50));
    await consumeChannel.consume(names.queue(hop.consumer), (message) => {
      if (!message) return;
      const { leadId } = JSON.parse(message.content.toString('utf8')) as { leadId: string };
      leads
        .insertOne({ _id: leadId as never, at: new Date() })
        .then(() => confirmedPublish(channel, names.exchange, hop.to, leadId))
        .then(
          () => consumeChannel.ack(message),
          () => consumeChannel.nack(message, false, true),
        );
    });
  } else if (role !== 'floor-intake') {
    throw new Error(`unknown floor role ${role}`);
  }
  const leads = db.collection('leads');
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/readyz') return void res.writeHead(200).end('ok');
    if (req.method !== 'POST' || req.url !== '/v1/leads' || hop) return void res.writeHead(404).end();
    readBody(req)
      .then(async (text) => {
        const id = randomUUID();
        await leads.insertOne({ _id: id as never, ...(JSON.parse(text) as object), createdAt: new Date() });
        await confirmedPublish(channel, names.exchange, 'lead.captured', id);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
      })
      .catch((err: Error) => res.writeHead(500).end(err.message));
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(env.HTTP_PORT), '127.0.0.1');
  const stop = () => {
    server.close();
    void broker
      .close()
      .catch(() => undefined)
      .then(() => db.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Operator command for dead-letter queues: list what a consumer gave up on, and replay it once fixed.
//   npm run dead-letters -- list <consumer> [--limit N]
//   npm run dead-letters -- replay <consumer> [--limit N]
// <consumer> is the durable consumer name, e.g. deals.lead-qualified. Reads AMQP_URL and AMQP_NAMESPACE.
import amqp from 'amqplib';
import { z } from 'zod';
import { loadConfig, positiveInt, url } from '@crm/config';
import { listDeadLetters, replayDeadLetters, topologyNames } from '@crm/messaging';

const env = loadConfig(
  z.object({
    AMQP_URL: url('amqp://guest:guest@127.0.0.1:5672', ['amqp', 'amqps']),
    AMQP_NAMESPACE: z.string().default(''),
    LIMIT: positiveInt(100),
  }),
);

async function main(): Promise<void> {
  const [command, consumer, ...rest] = process.argv.slice(2);
  const limitFlag = rest.indexOf('--limit');
  const limit = limitFlag >= 0 ? Number(rest[limitFlag + 1]) : env.LIMIT;
  if (!['list', 'replay'].includes(command ?? '') || !consumer || !Number.isInteger(limit) || limit < 1) {
    console.error('usage: dead-letters list|replay <consumer> [--limit N]');
    process.exit(2);
  }
  const names = topologyNames(env.AMQP_NAMESPACE);
  const connection = await amqp.connect(env.AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.checkQueue(names.deadLetterQueue(consumer));
    const letters =
      command === 'list' ? await listDeadLetters(channel, names, consumer, limit) : await replayDeadLetters(channel, names, consumer, limit);
    for (const letter of letters) {
      console.log(`${letter.messageId}\t${letter.type}\t${letter.reason}\t${letter.deadLetteredAt?.toISOString() ?? ''}\t${letter.bodyBytes} B`);
    }
    console.log(`${command === 'list' ? 'listed' : 'replayed'} ${letters.length} dead letter(s) of ${consumer}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

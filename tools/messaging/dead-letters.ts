// Operator command for dead-letter queues: list what a consumer gave up on, and replay it once fixed.
//   npm run dead-letters -- list <consumer> [--limit N]
//   npm run dead-letters -- replay <consumer> [--limit N]
// <consumer> is the durable consumer name, e.g. deals.lead-qualified. Reads AMQP_URL and AMQP_NAMESPACE.
import amqp from 'amqplib';
import { z } from 'zod';
import { loadConfig, serviceEnv } from '@crm/config';
import { listDeadLetters, replayDeadLetters, topologyNames } from '@crm/messaging';

// The same AMQP_URL and AMQP_NAMESPACE rules as the services.
const { AMQP_URL, AMQP_NAMESPACE } = serviceEnv({ httpPort: 0, grpcPort: 0 });
const env = loadConfig(z.object({ AMQP_URL, AMQP_NAMESPACE }));
const options = z.object({
  command: z.enum(['list', 'replay']),
  consumer: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a consumer name such as deals.lead-qualified'),
  limit: z.coerce.number().int().positive().default(100),
});

async function main(): Promise<void> {
  const [command, consumer, ...rest] = process.argv.slice(2);
  const limitFlag = rest.indexOf('--limit');
  const parsed = options.safeParse({ command, consumer, limit: limitFlag >= 0 ? rest[limitFlag + 1] : undefined });
  if (!parsed.success) {
    console.error(
      `usage: dead-letters list|replay <consumer> [--limit N]\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
    process.exit(2);
  }
  const { limit } = parsed.data;
  const names = topologyNames(env.AMQP_NAMESPACE);
  const connection = await amqp.connect(env.AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.checkQueue(names.deadLetterQueue(consumer));
    const letters =
      command === 'list'
        ? await listDeadLetters(channel, names, consumer, limit)
        : await replayDeadLetters(channel, names, consumer, limit);
    for (const letter of letters) {
      console.log(
        `${letter.messageId}\t${letter.type}\t${letter.reason}\t${letter.deadLetteredAt?.toISOString() ?? ''}\t${letter.bodyBytes} B`,
      );
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

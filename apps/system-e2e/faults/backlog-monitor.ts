import amqp from 'amqplib';
import { topologyNames } from '@crm/messaging';
import { sleep } from '@crm/testing';
import { consumerNames } from '@crm/contracts';
import { serviceNames } from './service-fleet';

export interface QueueState {
  consumer: string;
  messages: number;
  consumers: number;
}

// Reads each consumer queue's depth and number of consumers on a fresh connection (the broker may be restarting,
// so no connection is kept); undefined while the broker does not answer.
export async function readQueues(amqpUrl: string, namespace: string): Promise<QueueState[] | undefined> {
  const names = topologyNames(namespace);
  const model = await amqp.connect(amqpUrl).catch(() => undefined);
  if (!model) return undefined;
  model.on('error', () => undefined);
  try {
    const states: QueueState[] = [];
    for (const name of serviceNames) {
      const channel = await model.createChannel();
      channel.on('error', () => undefined);
      const queue = await channel.checkQueue(names.queue(consumerNames[name])).catch(() => undefined);
      states.push({ consumer: consumerNames[name], messages: queue?.messageCount ?? -1, consumers: queue?.consumerCount ?? -1 });
      await channel.close().catch(() => undefined);
    }
    return states;
  } finally {
    await model.close().catch(() => undefined);
  }
}

export const describeQueues = (states: QueueState[] | undefined) =>
  states ? states.map((s) => `${s.consumer} ${s.messages} (${s.consumers} consumers)`).join(', ') : 'broker not answering';

// Logs the queues every `intervalMs` while the suite runs, and keeps the deepest backlog seen per queue.
export class BacklogMonitor {
  readonly deepest = new Map<string, number>();
  private running = true;
  private readonly loop: Promise<void>;

  constructor(amqpUrl: () => string, namespace: string, log: (line: string) => void, intervalMs = 10_000) {
    this.loop = (async () => {
      while (this.running) {
        await sleep(intervalMs);
        if (!this.running) break;
        const states = await readQueues(amqpUrl(), namespace);
        for (const s of states ?? []) this.deepest.set(s.consumer, Math.max(this.deepest.get(s.consumer) ?? 0, s.messages));
        log(`queues: ${describeQueues(states)}`);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

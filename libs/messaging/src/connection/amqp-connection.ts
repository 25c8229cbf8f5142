import amqp, { type Channel, type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from '@crm/logging';
import { settleWithin } from './with-timeout';

// Runs on every (re)connection, before the connection counts as ready: creates channels, topology and consumers.
export type ConnectionSetup = (model: ChannelModel) => Promise<void>;

export interface AmqpConnectionOptions {
  url: string;
  // Shown in the RabbitMQ management UI, and used as the messages' appId.
  appId: string;
  logger: Logger;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
}

// One AMQP connection per process. amqplib's opt-in recovery reconnects with exponential backoff and jitter;
// every registered setup runs again on the new connection, so channels, topology and consumers are rebuilt.
export class AmqpConnection {
  private recovering?: RecoveringChannelModel;
  private current?: ChannelModel;
  private readonly setups = new Set<ConnectionSetup>();
  private closing = false;

  constructor(private readonly options: AmqpConnectionOptions) {}

  get appId(): string {
    return this.options.appId;
  }

  // Resolves at once; the first connection and every later one happen in the background.
  async start(): Promise<void> {
    const { url, appId, logger, reconnect } = this.options;
    this.recovering = await amqp.connect(url, {
      clientProperties: { connection_name: appId },
      recovery: {
        initialDelay: reconnect?.initialDelayMs ?? 200,
        maxDelay: reconnect?.maxDelayMs ?? 10_000,
        maxRetries: Infinity,
        waitForConnect: false,
        setup: async (model: ChannelModel) => {
          for (const setup of this.setups) await setup(model);
          this.current = model;
        },
      },
    });
    this.recovering.on('connect', () => logger.info('connected to RabbitMQ'));
    this.recovering.on('disconnect', (err) => {
      this.current = undefined;
      if (!this.closing) logger.warn({ err: err.message }, 'disconnected from RabbitMQ; reconnecting');
    });
    this.recovering.on('connect-failed', (err) => logger.warn({ err: err.message }, 'RabbitMQ connection attempt failed'));
    this.recovering.on('reconnect-failed', (err) => logger.error({ err: err.message }, 'gave up reconnecting to RabbitMQ'));
    // Without these listeners an 'error' event would kill the process.
    this.recovering.on('error', (err) => logger.warn({ err: err.message }, 'RabbitMQ connection error'));
    this.recovering.on('handler-error', (err, event) => logger.error({ err, event }, 'error in an AMQP event handler'));
  }

  waitUntilConnected(): Promise<unknown> {
    if (!this.recovering) throw new Error('AmqpConnection.start() was not called');
    return this.recovering.waitForConnect();
  }

  isConnected(): boolean {
    return this.current !== undefined;
  }

  // Registers a setup; when already connected it also runs now, on the live connection.
  async attach(setup: ConnectionSetup): Promise<void> {
    this.setups.add(setup);
    if (this.current) await setup(this.current);
  }

  detach(setup: ConnectionSetup): void {
    this.setups.delete(setup);
  }

  // Runs one setup again on the live connection, e.g. when a channel closed while the connection stayed up.
  async rerun(setup: ConnectionSetup): Promise<boolean> {
    if (!this.current || !this.setups.has(setup)) return false;
    await setup(this.current);
    return true;
  }

  // Runs `work` on a channel of its own, closed afterwards (also when the work failed, which may close it first).
  // Refused at once while disconnected.
  async withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    if (!this.current) throw new Error('not connected to RabbitMQ');
    const channel = await this.current.createChannel();
    channel.on('error', () => undefined);
    try {
      return await work(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    this.current = undefined;
    if (this.recovering) await settleWithin(this.recovering.close(), 5000);
  }
}

import type { Express } from 'express';
import type { ServiceEnv } from '@crm/config';
import { Histogram, type Registry } from 'prom-client';
import { createLogger, type Logger } from '@crm/logging';
import {
  AmqpConnection,
  EventConsumer,
  EventPublisher,
  Inbox,
  MessagingMetrics,
  OutboxRelay,
  removeMessagesAbout,
  topologyNames,
  type EventConsumerOptions,
  type EventHandlers,
  type OutboxSource,
  type TopologyNames,
} from '@crm/messaging';
import { isMongoConnected, openMongo, pingMongo, storeUnavailable } from '@crm/persistence';
import { startTracing } from '@crm/tracing';
import type { Connection } from 'mongoose';
import { callerTokens } from './grpc/access/caller-guard';
import { grpcServerCredentials } from './grpc/access/tls-credentials';
import { startGrpcServer, type GrpcServiceBinding } from './grpc/grpc-server';
import { closeServer, createHttpApp, finishHttpApp, listen } from './http/http-app';
import { exitOnSignals, Lifecycle } from './lifecycle/lifecycle';
import { Readiness } from './lifecycle/readiness';
import { createMetricsRegistry } from './metrics';
import { OperationalMetrics } from './operational-metrics';

export interface StartOptions {
  // Off when the service runs inside another process (tests): no signal handlers, no process.exit.
  handleSignals?: boolean;
  // The business time the service stamps on what it records (captures, decisions, moves); the system clock unless
  // a test sets one. Leases, timeouts and caches always use real time.
  clock?: () => Date;
}

export const systemClock = (): Date => new Date();

export interface ServiceKitOptions extends StartOptions {
  name: string;
  defaultDatabase: string;
  env: ServiceEnv;
}

// What a service's start function returns: the kit (to stop it) and the ports it listens on.
export interface StartedService {
  kit: ServiceKit;
  httpPort: number;
  grpcPort: number;
}

export interface ServeOptions {
  grpc: GrpcServiceBinding[];
  routes?: (app: Express) => void;
}

// What every service is made of: its MongoDB, its RabbitMQ connection and publisher, metrics, readiness and an
// orderly shutdown. A service's main.ts boots the kit, builds its own parts on it, then serves.
export class ServiceKit {
  readonly lifecycle: Lifecycle;
  readonly readiness = new Readiness();
  readonly registry: Registry;
  readonly metrics: MessagingMetrics;
  readonly names: TopologyNames;
  readonly amqp: AmqpConnection;
  readonly publisher: EventPublisher;
  readonly inbox: Inbox;
  readonly operations: OperationalMetrics;
  private readonly consumers: EventConsumer[] = [];
  private keptMessagesScan: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: ServiceKitOptions,
    readonly logger: Logger,
    readonly mongo: Connection,
  ) {
    this.lifecycle = new Lifecycle(logger);
    this.registry = createMetricsRegistry(options.name);
    this.metrics = new MessagingMetrics(this.registry);
    this.names = topologyNames(options.env.AMQP_NAMESPACE);
    this.amqp = new AmqpConnection({ url: options.env.AMQP_URL, appId: options.name, logger });
    this.publisher = new EventPublisher(this.amqp, this.names);
    this.inbox = Inbox.on(mongo, { leaseMs: options.env.INBOX_LEASE_MS });
    this.operations = new OperationalMetrics(this.registry, this.amqp, this.names, logger);
  }

  static async boot(options: ServiceKitOptions): Promise<ServiceKit> {
    const logger = createLogger(options.name, options.env.LOG_LEVEL);
    const mongo = openMongo({ url: options.env.MONGO_URL, defaultDatabase: options.defaultDatabase });
    const kit = new ServiceKit(options, logger, mongo);
    const tracing = startTracing(options.name, options.env);
    if (tracing) {
      logger.info({ url: tracing.url, protocol: tracing.protocol }, 'exporting traces over OTLP');
      // First registered, so it runs last: the spans of the shutdown itself are sent too.
      kit.lifecycle.onStop('tracing', () => tracing.shutdown());
    }
    kit.lifecycle.onStop('mongodb', () => mongo.close());
    kit.readiness.add('mongodb', () => pingMongo(mongo));
    await kit.amqp.start();
    kit.lifecycle.onStop('rabbitmq', () => kit.amqp.close());
    await kit.publisher.start();
    kit.lifecycle.onStop('publisher', () => kit.publisher.stop());
    kit.readiness.add('rabbitmq', () => kit.amqp.isConnected() && kit.publisher.isReady());
    if (options.handleSignals !== false) exitOnSignals(kit.lifecycle, logger, options.env.SHUTDOWN_TIMEOUT_MS);
    return kit;
  }

  // A Prometheus histogram of how long a step of the lead's journey took, in seconds; the function observes one.
  latency(name: string, help: string): (seconds: number) => void {
    const histogram = new Histogram({
      name,
      help,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [this.registry],
    });
    return (seconds) => histogram.observe(seconds);
  }

  // Starts the relay that publishes the events stored in this collection's outboxes.
  startOutboxRelay(source: OutboxSource): OutboxRelay {
    const relay = new OutboxRelay({
      source,
      publisher: this.publisher,
      logger: this.logger,
      metrics: this.metrics,
      sweepIntervalMs: this.options.env.OUTBOX_SWEEP_MS,
    });
    relay.start();
    this.operations.watchOutbox(source);
    this.lifecycle.onStop('outbox relay', () => relay.stop());
    return relay;
  }

  // Consumes the events these handlers take from the consumer's own queue, with inbox de-duplication (see
  // EventConsumerOptions for `deduplication`).
  async consume(
    consumer: string,
    handlers: EventHandlers,
    options: Pick<EventConsumerOptions, 'deduplication'> = {},
  ): Promise<EventConsumer> {
    const eventConsumer = new EventConsumer(this.amqp, {
      consumer,
      handlers,
      deduplication: options.deduplication,
      names: this.names,
      logger: this.logger,
      prefetch: this.options.env.AMQP_PREFETCH,
      retry: { maxDeliveries: this.options.env.AMQP_MAX_DELIVERIES, baseDelayMs: 200, maxDelayMs: 5000 },
      inbox: this.inbox,
      metrics: this.metrics,
    });
    await eventConsumer.start();
    this.consumers.push(eventConsumer);
    this.operations.watchConsumer(consumer);
    this.readiness.add(`consumer ${consumer}`, () => eventConsumer.isReady());
    this.lifecycle.onStop(`consumer ${consumer}`, () => eventConsumer.stop(this.options.env.SHUTDOWN_TIMEOUT_MS / 2));
    return eventConsumer;
  }

  // An erased lead's messages leave the dead-letter queues of every consumer this kit runs (and, with `unrouted`,
  // the queue of events no one was bound for): nothing about the person stays in them. Returns how many went.
  // One scan at a time: a scan holds the messages it looked at until it is done, and a second one running meanwhile
  // would not see them.
  eraseKeptMessages(leadId: string, options: { unrouted?: boolean } = {}): Promise<number> {
    const scan = this.keptMessagesScan.then(async () => {
      const queues = [
        ...this.consumers.map((c) => this.names.deadLetterQueue(c.name)),
        ...(options.unrouted ? [this.names.unroutedQueue] : []),
      ];
      let removed = 0;
      for (const queue of queues) removed += await this.amqp.withChannel((channel) => removeMessagesAbout(channel, queue, leadId));
      if (removed > 0) this.logger.info({ leadId, removed }, "an erased lead's dead letters removed");
      return removed;
    });
    this.keptMessagesScan = scan.catch(() => undefined);
    return scan;
  }

  // Starts the gRPC and HTTP servers; health follows readiness from here on.
  async serve({ grpc, routes }: ServeOptions): Promise<{ httpPort: number; grpcPort: number }> {
    const { env, name } = this.options;
    if (env.GRPC_CLIENTS.length === 0) this.logger.warn('GRPC_CLIENTS is empty: every gRPC call but health and reflection will be refused');
    const grpcServer = await startGrpcServer(grpc, {
      port: env.GRPC_PORT,
      credentials: grpcServerCredentials({
        certFile: env.GRPC_TLS_CERT_FILE,
        keyFile: env.GRPC_TLS_KEY_FILE,
        clientCaFile: env.GRPC_TLS_CLIENT_CA_FILE,
      }),
      access: { callers: callerTokens(env.GRPC_CLIENTS), grants: env.GRPC_CLIENT_SCOPES },
      logger: this.logger,
    });
    const app = createHttpApp({ readiness: this.readiness, registry: this.registry, metricsToken: env.METRICS_BEARER_TOKEN || undefined });
    // While the database is known to be unreachable, a request is answered 503 at once rather than after waiting
    // for a server; the operational endpoints above stay answerable.
    app.use((_req, _res, next) => next(isMongoConnected(this.mongo) ? undefined : storeUnavailable()));
    routes?.(app);
    finishHttpApp(app, this.logger);
    const http = await listen(app, env.HTTP_PORT);

    const isServing = async () => (await this.readiness.report()).ready && !this.lifecycle.isStopping;
    this.operations.watchReadiness(isServing);
    const refreshHealth = async () => grpcServer.setServing(await isServing());
    await refreshHealth();
    const healthTimer = setInterval(() => void refreshHealth(), 1000);
    healthTimer.unref();

    this.lifecycle.onStop('grpc server', () => grpcServer.stop(env.SHUTDOWN_TIMEOUT_MS / 3));
    this.lifecycle.onStop('http server', () => closeServer(http.server));
    this.lifecycle.onStop('health', () => {
      clearInterval(healthTimer);
      grpcServer.setServing(false);
    });
    this.logger.info({ httpPort: http.port, grpcPort: grpcServer.port }, `${name} started`);
    return { httpPort: http.port, grpcPort: grpcServer.port };
  }

  stop(): Promise<void> {
    return this.lifecycle.stop();
  }
}

import type { Logger } from '@crm/logging';

type StopStep = { name: string; stop: () => Promise<void> | void };

// Stops what a service started, in reverse order: intake first (servers), then consumers and the outbox relay,
// connections last. Each step is awaited; a failing step is logged and the next one still runs.
export class Lifecycle {
  private readonly steps: StopStep[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  onStop(name: string, stop: StopStep['stop']): void {
    this.steps.push({ name, stop });
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  stop(): Promise<void> {
    this.stopping ??= this.runSteps();
    return this.stopping;
  }

  private async runSteps(): Promise<void> {
    for (const step of [...this.steps].reverse()) {
      try {
        await step.stop();
        this.logger.debug({ step: step.name }, 'stopped');
      } catch (err) {
        this.logger.warn({ step: step.name, err: (err as Error).message }, 'stop step failed');
      }
    }
  }
}

// SIGTERM / SIGINT stop the service gracefully, within timeoutMs, then exit.
export function exitOnSignals(lifecycle: Lifecycle, logger: Logger, timeoutMs: number): void {
  const shutdown = (signal: string) => {
    if (lifecycle.isStopping) return;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ timeoutMs }, 'graceful shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    lifecycle.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ err: String(reason) }, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => {
    // State may be corrupt now: log, stop what can be stopped, and let the supervisor restart us.
    logger.fatal({ err }, 'uncaught exception');
    shutdown('uncaughtException');
    process.exitCode = 1;
  });
}

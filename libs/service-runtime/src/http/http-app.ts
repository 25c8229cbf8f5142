import express, { type Express, type RequestHandler } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Histogram, type Registry } from 'prom-client';
import { bearerTokens } from '@crm/access';
import type { Logger } from '@crm/logging';
import type { Readiness } from '../lifecycle/readiness';
import { requireBearerToken } from './api-key-guard';
import { errorHandler, notFoundHandler } from './http-errors';
import { traceRequests } from './trace-requests';

export interface HttpAppOptions {
  readiness: Readiness;
  registry: Registry;
  // When set, /metrics answers only `Authorization: Bearer <token>` (a Prometheus scrape's `authorization`).
  metricsToken?: string;
}

// An express app with the operational endpoints every service serves: /healthz, /readyz, /metrics.
// Routes go between this and finishHttpApp().
export function createHttpApp({ readiness, registry, metricsToken }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const duration = new Histogram({
    name: 'crm_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.use((req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () =>
      end({ method: req.method, route: (req.route as { path?: string } | undefined)?.path ?? 'unmatched', status: res.statusCode }),
    );
    next();
  });
  app.use(traceRequests);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness.report();
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not ready', checks: report.checks });
  });
  const metricsGuard: RequestHandler = metricsToken
    ? requireBearerToken(bearerTokens([{ name: 'metrics', key: metricsToken }], 'an Authorization: Bearer header'))
    : (_req, _res, next) => next();
  app.get('/metrics', metricsGuard, async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return app;
}

export function finishHttpApp(app: Express, logger: Logger): void {
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
}

export async function listen(app: Express, port: number, host = '0.0.0.0'): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve({ server, port: (server.address() as AddressInfo).port }));
    server.once('error', reject);
  });
}

// Stops accepting connections and waits for requests in progress; idle keep-alive connections are closed.
// server.close() alone leaves a connection open once its request in progress has been answered (Node keeps it
// alive), so the close would wait for the client's keep-alive timeout and still serve requests meanwhile: answers
// from now on say Connection: close, and connections are closed as soon as they fall idle.
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.prependListener('request', (_req, res) => res.setHeader('Connection', 'close'));
    const closeIdle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(closeIdle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

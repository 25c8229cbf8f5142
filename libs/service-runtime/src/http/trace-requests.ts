import type { RequestHandler } from 'express';
import { isTracingEnabled, SpanKind, SpanStatusCode, traced, traceparentKey } from '@crm/tracing';

// Probes and scrapes would only bury the requests people make.
const untraced = new Set(['/healthz', '/readyz', '/metrics']);

// Each request is a server span, continuing the caller's trace when it sends a traceparent; what the request stores
// and publishes (its outbox events) belongs to that trace.
export const traceRequests: RequestHandler = (req, res, next) => {
  if (!isTracingEnabled() || untraced.has(req.path)) return next();
  void traced(
    `${req.method} ${req.path}`,
    { kind: SpanKind.SERVER, parent: req.get(traceparentKey), attributes: { 'http.request.method': req.method, 'url.path': req.path } },
    (span) =>
      new Promise<void>((resolve) => {
        res.on('finish', () => {
          // Named by the route that matched (ids left out), once routing has found it.
          const route = (req.route as { path?: string } | undefined)?.path;
          if (route) {
            const name = `${req.baseUrl}${route === '/' ? '' : route}`;
            span?.updateName(`${req.method} ${name}`);
            span?.setAttribute('http.route', name);
          }
          span?.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
          resolve();
        });
        res.on('close', resolve);
        next();
      }),
  );
};

import pino, { type Logger } from 'pino';
import { traceLogFields } from '@crm/tracing';
import { errorSerializer } from './error-serializer';

export type { Logger };

// One JSON line per event on stdout; `service` names the producer so logs of several services can be merged, and
// `trace_id` / `span_id` (while tracing is on) join a line to the trace of the request or message it belongs to.
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: errorSerializer },
    mixin: traceLogFields,
    redact: { paths: ['*.apiKey', '*.headers["x-api-key"]', 'req.headers["x-api-key"]'], censor: '[redacted]' },
  });
}

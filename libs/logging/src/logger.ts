import pino, { type Logger } from 'pino';
import { errorSerializer } from './error-serializer';

export type { Logger };

// One JSON line per event on stdout; `service` names the producer so logs of several services can be merged.
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: errorSerializer },
    redact: { paths: ['*.apiKey', '*.headers["x-api-key"]', 'req.headers["x-api-key"]'], censor: '[redacted]' },
  });
}

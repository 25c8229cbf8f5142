import { z } from 'zod';
import { namedSecrets, scopeGrants } from '@crm/access';
import { secret } from './secret';

// Building blocks for each service's configuration schema. Every variable has a loopback default.

export const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(fallback);

export const url = (fallback: string, protocols: string[]) =>
  z
    .string()
    .default(fallback)
    .refine((value) => protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

export const positiveInt = (fallback: number) =>
  z.coerce.number({ message: 'must be a number' }).int('must be a whole number').positive('must be positive').default(fallback);

const optionalPath = z.string().default('');

// The entries of a comma-separated variable, trimmed, blanks dropped.
export function listEntries(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

// A comma-separated list whose every entry passes `problem` (undefined when fine, else what is wrong with it); the
// first bad entry is named in the error.
export const checkedList = (problem: (entry: string) => string | undefined = () => undefined, fallback = '') =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const entries = listEntries(raw);
      for (const entry of entries) {
        const message = problem(entry);
        if (message === undefined) continue;
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return entries;
    });

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

const otlpProtocol = z.enum(['http/protobuf', 'http/json'], {
  message: 'must be http/protobuf or http/json (OTLP over gRPC is not supported)',
});
const optionalUrl = z.union([z.literal(''), z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })]).default('');

// OpenTelemetry's standard variables, the ones this system honours: tracing is on when an OTLP endpoint is set.
export const tracingEnv = {
  OTEL_SDK_DISABLED: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
  // The service's own name when empty.
  OTEL_SERVICE_NAME: z.string().default(''),
  // Spans go to <this>/v1/traces, or to the traces endpoint as given.
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.union([z.literal(''), otlpProtocol]).default(''),
  // "key=value" pairs sent with every export (e.g. a collector's API key); read by the exporter itself.
  OTEL_EXPORTER_OTLP_HEADERS: secret(z.string().default('')),
  // How long finished spans wait before they are sent, in batches.
  OTEL_BSP_SCHEDULE_DELAY: positiveInt(5000),
};

// Variables every service reads: its MongoDB, RabbitMQ and ports. `defaults` holds the service's own ports.
export const serviceEnv = (defaults: { httpPort: number; grpcPort: number }) => ({
  // Secrets: either may carry a password.
  MONGO_URL: secret(url('mongodb://127.0.0.1:27017', ['mongodb', 'mongodb+srv'])),
  AMQP_URL: secret(url('amqp://guest:guest@127.0.0.1:5672', ['amqp', 'amqps'])),
  // Prefixes every exchange and queue name, so several isolated systems (tests, say) can share one broker.
  AMQP_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-"')
    .default(''),
  AMQP_PREFETCH: positiveInt(50),
  AMQP_MAX_DELIVERIES: positiveInt(5),
  // How long a consumer's claim on a message id holds before another delivery may take it over (its holder died).
  INBOX_LEASE_MS: positiveInt(30_000),
  // How often the outbox relay looks for events no write named (left by a crash): a scan, so not too often.
  OUTBOX_SWEEP_MS: positiveInt(5000),
  HTTP_PORT: port(defaults.httpPort),
  GRPC_PORT: port(defaults.grpcPort),
  // Who may call the gRPC API: "name=token" pairs (several tokens per name while rotating); none when empty, and
  // then every call but health and reflection is refused.
  GRPC_CLIENTS: secret(namedSecrets('caller')),
  // Each caller's scopes, "name=read|write|admin"; a caller named here gets exactly these, any other gets read.
  GRPC_CLIENT_SCOPES: scopeGrants,
  // TLS for the gRPC server: both files, or neither (plaintext). With a client CA, callers must present a
  // certificate it signed (mutual TLS), on top of their token.
  GRPC_TLS_CERT_FILE: optionalPath,
  GRPC_TLS_KEY_FILE: optionalPath,
  GRPC_TLS_CLIENT_CA_FILE: optionalPath,
  // When set, /metrics needs `Authorization: Bearer <this>`; open (as health is) when empty.
  METRICS_BEARER_TOKEN: secret(z.string().default('')),
  LOG_LEVEL: logLevel,
  SHUTDOWN_TIMEOUT_MS: positiveInt(15000),
  ...tracingEnv,
});

// The variables every service reads, as parsed.
export type ServiceEnv = z.output<z.ZodObject<ReturnType<typeof serviceEnv>>>;

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { setTracingEnabled } from './trace-context';

// The OpenTelemetry variables as the configuration parsed them (libs/config's tracingEnv).
export interface TracingEnv {
  OTEL_SDK_DISABLED: 'true' | 'false';
  OTEL_SERVICE_NAME: string;
  OTEL_EXPORTER_OTLP_ENDPOINT: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: string;
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' | 'http/json';
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: '' | 'http/protobuf' | 'http/json';
  // As parsed, possibly read from OTEL_EXPORTER_OTLP_HEADERS_FILE: so passed on here, not left to the exporter.
  OTEL_EXPORTER_OTLP_HEADERS: string;
  OTEL_BSP_SCHEDULE_DELAY: number;
}

export interface Tracing {
  // Where spans go and how, for the start-up log line.
  url: string;
  protocol: string;
  // Sends what is still buffered, then stops.
  shutdown(): Promise<void>;
}

// The traces URL per the OTLP exporter specification: the traces endpoint as given, else <endpoint>/v1/traces.
function tracesUrl(env: TracingEnv): string {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}

// "key=value,key2=value2", values percent-encoded, as the OTLP exporter specification writes headers.
function headersOf(raw: string): Record<string, string> {
  return Object.fromEntries(
    raw
      .split(',')
      .map((pair) => pair.trim())
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), decodeURIComponent(pair.slice(pair.indexOf('=') + 1).trim())]),
  );
}

// Starts exporting this process's spans over OTLP/HTTP (protobuf or JSON) when an endpoint is set and the SDK is not
// disabled; otherwise leaves tracing off (undefined), at no cost. Context travels as W3C traceparent.
export function startTracing(serviceName: string, env: TracingEnv): Tracing | undefined {
  if (env.OTEL_SDK_DISABLED === 'true' || (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)) return undefined;
  const url = tracesUrl(env);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL;
  const options = { url, headers: headersOf(env.OTEL_EXPORTER_OTLP_HEADERS) };
  const exporter = protocol === 'http/json' ? new JsonTraceExporter(options) : new ProtobufTraceExporter(options);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || serviceName }).merge(
      detectResources({ detectors: [envDetector] }),
    ),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracingEnabled(true);
  return {
    url,
    protocol,
    async shutdown() {
      setTracingEnabled(false);
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

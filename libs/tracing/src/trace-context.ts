import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

export { SpanKind, SpanStatusCode };
export type { Span };

// Off until startTracing registers an exporter: then no span, no context and no header is ever made, so tracing
// costs nothing when it is not configured.
let enabled = false;

export function setTracingEnabled(on: boolean): void {
  enabled = on;
}

export function isTracingEnabled(): boolean {
  return enabled;
}

// The W3C header (and AMQP header, gRPC metadata key, outbox field) that carries a span's context to the next hop.
export const traceparentKey = 'traceparent';

const tracer = () => trace.getTracer('crm-lead-to-deal');

// The W3C traceparent of the span now active, to hand to the next hop; undefined when tracing is off or no span is.
export function activeTraceparent(): string | undefined {
  if (!enabled || !trace.getSpan(context.active())) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[traceparentKey];
}

function parentContext(parent: string | undefined): Context {
  if (parent === undefined) return context.active();
  return propagation.extract(ROOT_CONTEXT, { [traceparentKey]: parent });
}

export interface SpanOptions {
  kind: SpanKind;
  // The traceparent a message or request came with (its span becomes the parent); the active span when absent.
  parent?: string;
  attributes?: Attributes;
}

// Runs `work` inside a new span (and as the active context, so what it calls and stores continues the trace); the
// span records a thrown error and ends when the work settles. With tracing off, just runs the work.
export function traced<T>(name: string, options: SpanOptions, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return work(undefined);
  return tracer().startActiveSpan(
    name,
    { kind: options.kind, attributes: options.attributes },
    parentContext(options.parent),
    async (span) => {
      try {
        return await work(span);
      } catch (err) {
        span.recordException(err instanceof Error ? err : String(err));
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

// The active span's ids, for every log line (pino's mixin); empty with tracing off or outside a span.
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  if (!enabled) return {};
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

import { OtlpReceiver, waitFor } from '@crm/testing';
import { activeTraceparent, SpanKind, startTracing, traced, traceLogFields, type TracingEnv } from '../src';

const env = (overrides: Partial<TracingEnv> = {}): TracingEnv => ({
  OTEL_SDK_DISABLED: 'false',
  OTEL_SERVICE_NAME: '',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: '',
  OTEL_EXPORTER_OTLP_HEADERS: '',
  OTEL_BSP_SCHEDULE_DELAY: 50,
  ...overrides,
});

// Tracing against a real OTLP/HTTP receiver: spans exported as JSON or protobuf, context handed on as traceparent.
describe('tracing', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
  });

  afterAll(async () => {
    await receiver?.close();
  });

  it('is off, at no cost, without an endpoint or when disabled', async () => {
    expect(startTracing('svc', env())).toBeUndefined();
    expect(startTracing('svc', env({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint }))).toBeUndefined();
    const seen = await traced('work', { kind: SpanKind.INTERNAL }, async (span) => ({
      span,
      traceparent: activeTraceparent(),
      fields: traceLogFields(),
    }));
    expect(seen).toEqual({ span: undefined, traceparent: undefined, fields: {} });
  });

  it('exports spans as OTLP/JSON, children under their parent, and continues a trace from a traceparent', async () => {
    const tracing = startTracing(
      'svc',
      env({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'named-svc' }),
    )!;
    expect(tracing).toMatchObject({ url: `${receiver.endpoint}/v1/traces`, protocol: 'http/json' });
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const inner = await traced('outer', { kind: SpanKind.SERVER, parent }, () =>
      traced('inner', { kind: SpanKind.CLIENT }, async () => ({ traceparent: activeTraceparent(), fields: traceLogFields() })),
    );
    await expect(traced('failing', { kind: SpanKind.INTERNAL }, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await tracing.shutdown();

    const spans = await waitFor('three spans', () => (receiver.spans().length >= 3 ? receiver.spans() : undefined));
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(byName.outer).toMatchObject({
      service: 'named-svc',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      parentSpanId: 'b7ad6b7169203331',
      kind: 2,
    });
    expect(byName.inner).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', parentSpanId: byName.outer.spanId, kind: 3 });
    expect(inner.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${byName.inner.spanId}-01`);
    expect(inner.fields).toEqual({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: byName.inner.spanId });
    expect(byName.failing.traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(activeTraceparent()).toBeUndefined();
  });

  it('exports spans as OTLP/protobuf to the traces endpoint as given', async () => {
    const before = receiver.requests.length;
    const tracing = startTracing(
      'proto-svc',
      env({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s%3Dcret, x-tenant = crm',
      }),
    )!;
    expect(tracing.protocol).toBe('http/protobuf');
    await traced('sent-as-protobuf', { kind: SpanKind.PRODUCER }, async () => undefined);
    await tracing.shutdown();
    const request = await waitFor('a protobuf export', () =>
      receiver.requests.slice(before).find((r) => r.contentType === 'application/x-protobuf'),
    );
    expect(request.body.includes(Buffer.from('proto-svc'))).toBe(true);
    expect(request.headers).toMatchObject({ 'x-api-key': 's=cret', 'x-tenant': 'crm' });
    expect(request.body.includes(Buffer.from('sent-as-protobuf'))).toBe(true);
  });
});

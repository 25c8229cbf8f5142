import { randomBytes } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import { OtlpReceiver, waitFor, type ReceivedSpan } from '@crm/testing';
import { intakeKey, RunningSystem } from './support/system';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

// One lead, one trace: the four services as processes export their spans over OTLP/HTTP (JSON) to a receiver the
// test runs, and the trace follows the lead from POST /v1/leads through every event and gRPC call.
describe('tracing a lead across the four services', () => {
  let receiver: OtlpReceiver;
  let system: RunningSystem;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    system = await RunningSystem.start({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        LOG_LEVEL: 'info',
      },
    });
  }, 90_000);

  afterAll(async () => {
    if (system) await system.stop();
    await receiver?.close();
  }, 90_000);

  const spansOf = (traceId: string) => receiver.spans().filter((s) => s.traceId === traceId);
  const has = (spans: ReceivedSpan[], service: string, name: string) => spans.some((s) => s.service === service && s.name === name);

  it('gives one trace with spans from all four services, each under the span that caused it', async () => {
    const traceId = hex(16);
    const callerSpan = hex(8);
    const response = await fetch(`${system.services['lead-intake'].httpUrl}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': intakeKey, traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({
        name: 'Tina Traza',
        email: `tina.${traceId.slice(0, 8)}@acme-industries.io`,
        phone: '+34 633 000 111',
        company: 'Traza SL',
        interest: 'ERP',
        priority: 'high',
      }),
    });
    expect(response.status).toBe(201);
    const leadId = ((await response.json()) as { id: string }).id;
    await system.dealOf(leadId);
    await waitFor('reporting to count it', async () => {
      const { funnel } = await system.reporting.getFunnel({ from: undefined, to: undefined, source: '' });
      return funnel?.dealsOpened === '1';
    });

    const expected: [string, string][] = [
      ['lead-intake', 'POST /v1/leads'],
      ['lead-intake', 'publish lead.captured'],
      ['qualification', 'process lead.captured'],
      ['reporting', 'process lead.captured'],
      ['qualification', 'publish lead.qualified'],
      ['deals', 'process lead.qualified'],
      ['lead-intake', 'process lead.qualified'],
      ['reporting', 'process lead.qualified'],
      ['deals', 'publish deal.opened'],
      ['lead-intake', 'process deal.opened'],
      ['reporting', 'process deal.opened'],
    ];
    const spans = await waitFor(
      'every span of the lead',
      () => {
        const found = spansOf(traceId);
        return expected.every(([service, name]) => has(found, service, name)) ? found : undefined;
      },
      { timeoutMs: 20_000 },
    );

    // Causal order: each span hangs under one of this trace (the first under the caller's), and starts no earlier.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const span of spans) {
      if (span.parentSpanId === callerSpan) continue;
      const parent = byId.get(span.parentSpanId);
      expect(parent ? 'under a span of the trace' : `${span.service}: ${span.name} has no parent`).toBe('under a span of the trace');
      expect(span.startTimeUnixNano).toBeGreaterThanOrEqual(parent!.startTimeUnixNano);
    }
    const chain = (span: ReceivedSpan): string[] => {
      const parent = byId.get(span.parentSpanId);
      return parent ? [...chain(parent), `${span.service}: ${span.name}`] : [`${span.service}: ${span.name}`];
    };
    const last = spans.find((s) => s.service === 'reporting' && s.name === 'process deal.opened')!;
    expect(chain(last)).toEqual([
      'lead-intake: POST /v1/leads',
      'lead-intake: publish lead.captured',
      'qualification: process lead.captured',
      'qualification: publish lead.qualified',
      'deals: process lead.qualified',
      'deals: publish deal.opened',
      'reporting: process deal.opened',
    ]);

    // The log lines written while handling the lead carry its trace.
    const lines = system.allLogs().filter((line) => line.includes(`"trace_id":"${traceId}"`));
    expect(lines.some((line) => line.includes('"service":"qualification"') && line.includes('lead scored'))).toBe(true);
    expect(lines.some((line) => line.includes('"service":"deals"') && line.includes('deal opened for qualified lead'))).toBe(true);
  });

  it('carries a trace through gRPC calls from one service to another', async () => {
    const { json } = await system.postLead({
      name: 'Gil',
      email: `gil.${hex(4)}@acme-industries.io`,
      company: 'Gil SA',
      phone: '+34 644 000 222',
      interest: 'ERP',
      priority: 'high',
    });
    const leadId = json.id as string;
    await system.dealOf(leadId);
    const traceId = hex(16);
    const callerSpan = hex(8);
    const metadata = new Metadata();
    metadata.set('traceparent', `00-${traceId}-${callerSpan}-01`);
    await system.leads.exportLead({ id: leadId }, metadata);

    const calls = [
      ['qualification', 'crm.v1.QualificationService/GetQualification'],
      ['deals', 'crm.v1.DealService/ListDeals'],
      ['deals', 'crm.v1.DealService/ListActivities'],
    ];
    // Each process exports its spans in its own batches, and lead-intake's server span ends after its calls do: wait
    // for every span the test looks at, the server's and the callers' as well as the callees'.
    const spans = await waitFor('the export spans', () => {
      const found = spansOf(traceId);
      const complete =
        has(found, 'lead-intake', 'crm.v1.LeadService/ExportLead') &&
        calls.every(([service, method]) => has(found, service, method) && has(found, 'lead-intake', method));
      return complete ? found : undefined;
    });
    const server = spans.find((s) => s.name === 'crm.v1.LeadService/ExportLead')!;
    expect(server).toMatchObject({ service: 'lead-intake', parentSpanId: callerSpan });
    for (const [service, method] of calls) {
      const callee = spans.find((s) => s.service === service && s.name === method && s.kind === 2)!;
      const caller = spans.find((s) => s.spanId === callee.parentSpanId)!;
      expect(caller).toMatchObject({ service: 'lead-intake', name: method, kind: 3, parentSpanId: server.spanId });
    }
  });
});

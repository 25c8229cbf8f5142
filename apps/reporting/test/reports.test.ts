import { Timestamp } from '../../../libs/contracts/src/generated/google/protobuf/timestamp';
import { grpcFailure, rawUnaryCall, withReason } from '@crm/testing';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { createLogger } from '@crm/logging';
import { rebuildProjections } from '../src/application/rebuild-projections';
import { reportingStore } from '../src/reporting-service';
import { at, expectedReports, reportsScenario } from './support/reports-scenario';
import { ReportingHarness } from './support/reporting-harness';

describe('reports over gRPC and HTTP, from events on the broker', () => {
  let reporting: ReportingHarness;

  beforeAll(async () => {
    reporting = await ReportingHarness.start();
    const events = reportsScenario();
    for (const [i, event] of events.entries()) await reporting.publish(event, `scenario-${i}`);
    // The broker redelivering a few (same id) must neither count twice nor be logged twice.
    for (const i of [0, 8, 11]) await reporting.publish(events[i], `scenario-${i}`);
    await reporting.settled();
  });

  afterAll(async () => {
    await reporting?.stop();
  });

  async function allReports() {
    return {
      funnel: await reporting.api.getFunnel(),
      pipeline: await reporting.api.getPipeline({ pipelineId: 'sales' }),
      sources: await reporting.api.getSourcePerformance(),
      cycleTimes: await reporting.api.getCycleTimes(),
      lostReasons: await reporting.api.getLostReasons(),
    };
  }

  it('refuses a Timestamp past what a date holds as REQUEST_INVALID, naming its field', async () => {
    // GetFunnelRequest { from: Timestamp { seconds: 10^15 } }: well-formed bytes, a year far beyond 9999.
    const timestamp = Buffer.from(Timestamp.encode({ seconds: '1000000000000000', nanos: 0 }).finish());
    const request = Buffer.concat([Buffer.from([0x0a, timestamp.length]), timestamp]);
    const error = await grpcFailure(rawUnaryCall(reporting.running.grpcAddress, '/crm.v1.ReportingService/GetFunnel', request));
    expect(error).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('REQUEST_INVALID') });
    expect(error?.metadata.get('field-violation')).toEqual(['from: is a timestamp out of range']);
  });

  it('gives every figure of the scenario over gRPC', async () => {
    expect(await allReports()).toEqual(expectedReports);
  });

  it('gives the same figures as JSON under /v1/reports', async () => {
    const paths = {
      funnel: '/v1/reports/funnel',
      pipeline: '/v1/reports/pipeline?pipelineId=sales',
      sources: '/v1/reports/sources',
      cycleTimes: '/v1/reports/cycle-times',
      lostReasons: '/v1/reports/lost-reasons',
    };
    for (const [report, path] of Object.entries(paths)) {
      const { status, type, body } = await reporting.http(path);
      expect({ report, status, type }).toEqual({ report, status: 200, type: expect.stringContaining('application/json') });
      expect(body).toEqual(expectedReports[report as keyof typeof expectedReports]);
    }
  });

  it('limits every report to the leads captured in the range and to a source', async () => {
    const range = { from: at(0), to: at(3) };
    expect((await reporting.api.getFunnel(range)).funnel).toMatchObject({
      leadsCaptured: '3',
      dealsOpened: '3',
      dealsWon: '1',
      dealsLost: '1',
    });
    expect((await reporting.api.getCycleTimes({ ...range, source: 'web-form' })).captureToQualification).toEqual({
      count: '2',
      averageMs: String(7.5 * 60_000),
      medianMs: String(7 * 60_000 + 30_000),
    });
    expect(await reporting.api.getLostReasons({ from: at(3) })).toEqual({ reasons: [], dealsLost: '0' });
    expect((await reporting.api.getSourcePerformance({ from: at(4) })).sources.map((s) => s.source)).toEqual(['landing-page']);
    const facebook = await reporting.api.getPipeline({ pipelineId: 'sales', source: 'facebook' });
    expect(facebook).toMatchObject({ stages: [], openDeals: '0', dealsLost: '1', winRate: 0 });
    const { body } = await reporting.http(`/v1/reports/funnel?from=${at(0).toISOString()}&to=${at(3).toISOString()}&source=facebook`);
    expect(body.funnel).toMatchObject({ leadsCaptured: '1', leadsQualified: '1', dealsLost: '1' });
  });

  it('refuses a range whose end is not after its start: INVALID_ARGUMENT and 400', async () => {
    const bad = { from: at(10), to: at(10) };
    for (const call of [
      reporting.api.getFunnel(bad),
      reporting.api.getSourcePerformance(bad),
      reporting.api.getCycleTimes(bad),
      reporting.api.getLostReasons(bad),
    ]) {
      const error = await grpcFailure(call);
      expect(error).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('DATE_RANGE_INVALID') });
      expect(error?.metadata.get('field-violation')).toEqual(['to: must be later than from']);
    }
    for (const path of ['funnel', 'sources', 'cycle-times', 'lost-reasons']) {
      const { status, type, body } = await reporting.http(`/v1/reports/${path}?from=2026-03-02&to=2026-03-01`);
      expect({ path, status, type }).toEqual({ path, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(body.errors).toEqual([{ field: 'to', rule: 'after-from', message: 'must be later than from' }]);
      expect(body.reason).toBe('DATE_RANGE_INVALID');
    }
  });

  it('answers 400 naming the field for a date that is not ISO 8601 or an unknown parameter', async () => {
    const notADate = await reporting.http('/v1/reports/funnel?from=yesterday');
    expect(notADate.status).toBe(400);
    expect(notADate.body.errors.map((v: { field: string }) => v.field)).toEqual(['from']);
    expect(notADate.body.reason).toBe('REQUEST_INVALID');
    const unknown = await reporting.http('/v1/reports/cycle-times?form=2026-03-01');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((v: { field: string }) => v.field)).toEqual(['form']);
  });

  it('refuses a source longer than 200 characters the same way over gRPC and HTTP', async () => {
    const long = 's'.repeat(201);
    for (const call of [
      reporting.api.getFunnel({ source: long }),
      reporting.api.getCycleTimes({ source: long }),
      reporting.api.getLostReasons({ source: long }),
      reporting.api.getPipeline({ pipelineId: 'sales', source: long }),
    ]) {
      const error = await grpcFailure(call);
      expect(error).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, metadata: withReason('REQUEST_INVALID') });
      expect(String(error?.metadata.get('field-violation'))).toMatch(/^source: /);
    }
    for (const path of ['funnel', 'cycle-times', 'lost-reasons', 'pipeline?pipelineId=sales&']) {
      const { status, body } = await reporting.http(`/v1/reports/${path}${path.includes('?') ? '' : '?'}source=${long}`);
      expect({ path, status, fields: body.errors?.map((v: { field: string }) => v.field) }).toEqual({
        path,
        status: 400,
        fields: ['source'],
      });
    }
    expect((await reporting.api.getFunnel({ source: 's'.repeat(200) })).funnel?.leadsCaptured).toBe('0');
  });

  it('answers NOT_FOUND / 404 for a pipeline no deal was opened in, INVALID_ARGUMENT / 400 for none', async () => {
    expect(await grpcFailure(reporting.api.getPipeline({ pipelineId: 'no-such-pipeline' }))).toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      metadata: withReason('PIPELINE_NOT_FOUND'),
    });
    expect(await grpcFailure(reporting.api.getPipeline({}))).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      metadata: withReason('REQUEST_INVALID'),
    });
    const missing = await reporting.http('/v1/reports/pipeline?pipelineId=no-such-pipeline');
    expect(missing).toMatchObject({
      status: 404,
      type: expect.stringContaining('application/problem+json'),
      body: { reason: 'PIPELINE_NOT_FOUND' },
    });
    expect(await reporting.http('/v1/reports/pipeline')).toMatchObject({ status: 400, body: { reason: 'REQUEST_INVALID' } });
  });

  it('keeps each event once in its log and rebuilds the same figures from it', async () => {
    const { log, projector } = reportingStore(reporting.running.db);
    expect(await log.count()).toBe(reportsScenario().length);
    const before = await allReports();

    await projector.clear();
    expect((await reporting.api.getFunnel()).funnel?.leadsCaptured).toBe('0');

    const result = await rebuildProjections(log, projector, createLogger('reporting-test', 'silent'));
    expect(result.events).toBe(reportsScenario().length);
    expect(await allReports()).toEqual(before);
    expect(before).toEqual(expectedReports);
  });
});

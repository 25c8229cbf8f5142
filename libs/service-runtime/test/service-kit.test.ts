import { status, type ServiceError } from '@grpc/grpc-js';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { LeadServiceClient } from '@crm/contracts';
import { asCaller, insecure, unaryCall, waitFor } from '@crm/testing';
import { errorInfoOf } from '../src';
import {
  bootKit,
  cleanUp,
  echoLimitBytes,
  grpcMetadataValues,
  HealthClient,
  leadServiceBinding,
  ReflectionClient,
  secretMessage,
  tcpConnect,
  testRoutes,
  type TestKit,
} from './support';

describe('ServiceKit serving on a real MongoDB and RabbitMQ', () => {
  let booted: TestKit;
  let httpPort: number;
  let grpcAddress: string;
  let leads: LeadServiceClient;
  let health: HealthClient;
  let reflection: ReflectionClient;
  const url = (path: string) => `http://127.0.0.1:${httpPort}${path}`;

  beforeAll(async () => {
    booted = await bootKit();
    const ports = await booted.kit.serve({ grpc: [leadServiceBinding(booted.kit)], routes: testRoutes });
    httpPort = ports.httpPort;
    grpcAddress = `127.0.0.1:${ports.grpcPort}`;
    leads = new LeadServiceClient(grpcAddress, insecure(), asCaller());
    health = new HealthClient(grpcAddress);
    reflection = new ReflectionClient(grpcAddress);
    // The broker connection is made in the background: the kit is usable once it reports ready.
    await waitFor('the kit to be ready', async () => (await booted.kit.readiness.report()).ready, { timeoutMs: 15_000 });
  });

  afterAll(async () => {
    leads?.close();
    health?.close();
    reflection?.close();
    await booted?.kit.stop();
    if (booted) await cleanUp(booted);
  });

  async function expectProblem(response: Response, expectedStatus: number): Promise<Record<string, unknown>> {
    expect(response.status).toBe(expectedStatus);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'about:blank', status: expectedStatus, title: expect.any(String) });
    return body;
  }

  async function grpcError(id: string): Promise<ServiceError> {
    const error = await unaryCall((done) => leads.getLead({ id }, done)).then(
      () => undefined,
      (err: ServiceError) => err,
    );
    if (!error) throw new Error(`GetLead(${id}) succeeded; an error was expected`);
    return error;
  }

  describe('HTTP', () => {
    it('answers /healthz', async () => {
      const response = await fetch(url('/healthz'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('answers /readyz with every dependency checked', async () => {
      const response = await fetch(url('/readyz'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ready', checks: { mongodb: true, rabbitmq: true } });
    });

    it('serves Prometheus metrics, request durations included', async () => {
      await fetch(url('/healthz'));
      const response = await fetch(url('/metrics'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      expect(text).toContain('# TYPE crm_http_request_duration_seconds histogram');
      expect(text).toMatch(/crm_http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*status="200"[^}]*\} [1-9]/);
      expect(text).toMatch(/^process_cpu_user_seconds_total\{service="runtime-test"\} /m);
    });

    it('answers an unknown route with a 404 problem', async () => {
      const body = await expectProblem(await fetch(url('/no/such/route')), 404);
      expect(body).toMatchObject({ reason: 'ROUTE_NOT_FOUND', detail: 'No route for GET /no/such/route' });
    });

    it('answers a NotFoundError with a 404 problem', async () => {
      const body = await expectProblem(await fetch(url('/test/not-found')), 404);
      expect(body).toMatchObject({ title: 'Not found', reason: 'LEAD_NOT_FOUND', detail: 'Lead l-404 not found' });
    });

    it('answers a ValidationError with a 400 problem naming the fields', async () => {
      const body = await expectProblem(await fetch(url('/test/invalid')), 400);
      expect(body.title).toBe('Invalid request');
      expect(body.reason).toBe('REQUEST_INVALID');
      expect((body.errors as { field: string }[]).map((e) => e.field)).toEqual(['email', 'source.channel']);
      expect(body.errors).toContainEqual({ field: 'email', rule: 'format', message: 'must be an email' });
    });

    it('answers another DomainError with its own status', async () => {
      const body = await expectProblem(await fetch(url('/test/conflict')), 409);
      expect(body).toMatchObject({ title: 'Failed precondition', reason: 'LEAD_NOT_QUALIFIED', detail: 'lead is not qualified' });
    });

    it('accepts JSON within the body limit', async () => {
      const response = await fetch(url('/test/echo'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ana' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: { name: 'Ana' } });
    });

    it('answers invalid JSON with a 400 problem', async () => {
      const response = await fetch(url('/test/echo'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name": "Ana",',
      });
      const body = await expectProblem(response, 400);
      expect(body).toMatchObject({
        title: 'Bad request body',
        reason: 'REQUEST_BODY_MALFORMED',
        detail: 'The request body is not valid JSON',
      });
    });

    it('answers a body over the limit with a 413 problem', async () => {
      const response = await fetch(url('/test/echo'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(echoLimitBytes * 4) }),
      });
      const body = await expectProblem(response, 413);
      expect(body).toMatchObject({
        title: 'Bad request body',
        reason: 'REQUEST_BODY_TOO_LARGE',
        detail: 'The request body is larger than allowed',
      });
    });

    it('answers an unexpected error with a 500 problem that reveals nothing', async () => {
      const response = await fetch(url('/test/boom'));
      const raw = await response.clone().text();
      const body = await expectProblem(response, 500);
      expect(body).toEqual({ type: 'about:blank', title: 'Internal error', status: 500, reason: 'INTERNAL_ERROR' });
      expect(raw).not.toContain('hunter2');
      expect(raw).not.toContain(secretMessage);
    });
  });

  describe('gRPC', () => {
    it('answers a good call', async () => {
      await expect(unaryCall((done) => leads.getLead({ id: 'l-1' }, done))).resolves.toEqual({ lead: undefined });
    });

    it('maps NotFoundError to NOT_FOUND', async () => {
      const error = await grpcError('missing');
      expect(error.code).toBe(status.NOT_FOUND);
      expect(error.details).toBe('Lead missing not found');
      expect(errorInfoOf(error.metadata)).toEqual({ reason: 'LEAD_NOT_FOUND', domain: 'crm', metadata: {} });
    });

    it('maps ValidationError to INVALID_ARGUMENT with one field-violation per field', async () => {
      const error = await grpcError('invalid');
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      // Sent as one header field per violation; HTTP/2 hands repeated fields to the client joined with ", ".
      expect(grpcMetadataValues(error.metadata, 'field-violation').join(', ')).toBe('id: must be a lead id, source.channel: is required');
      expect(errorInfoOf(error.metadata)?.reason).toBe('REQUEST_INVALID');
    });

    it('maps an unexpected error to INTERNAL without revealing it', async () => {
      const error = await grpcError('boom');
      expect(error.code).toBe(status.INTERNAL);
      expect(error.details).toBe('internal error');
      expect(error.message).not.toContain('hunter2');
      expect(errorInfoOf(error.metadata)).toEqual({ reason: 'INTERNAL_ERROR', domain: 'crm', metadata: {} });
    });
  });

  describe('grpc.health.v1.Health', () => {
    it('reports SERVING for the server and for the bound service once ready', async () => {
      // Health is refreshed from readiness every second; readiness may have turned true just now.
      await waitFor('health SERVING', async () => (await health.check('')) === 'SERVING', { timeoutMs: 5000 });
      expect(await health.check('crm.v1.LeadService')).toBe('SERVING');
    });

    it('answers NOT_FOUND for a service the server does not have', async () => {
      await expect(health.check('crm.v1.NoSuchService')).rejects.toMatchObject({ code: status.NOT_FOUND });
    });
  });

  describe('server reflection', () => {
    it('lists the services this server answers, health included', async () => {
      const answer = await reflection.ask({ list_services: '' });
      const names = answer.list_services_response?.service.map((s) => s.name) ?? [];
      expect(names.sort()).toEqual(['crm.v1.LeadService', 'grpc.health.v1.Health']);
    });

    it('describes any contract symbol with its file descriptor', async () => {
      const answer = await reflection.ask({ file_containing_symbol: 'crm.v1.DealService' });
      expect(answer.error_response).toBeFalsy();
      const files = (answer.file_descriptor_response?.file_descriptor_proto ?? []).map((bytes) =>
        fromBinary(FileDescriptorProtoSchema, bytes),
      );
      // @grpc/reflection merges the files of one package into one descriptor, so the file name is not checked.
      const dealService = files.flatMap((f) => (f.package === 'crm.v1' ? f.service : [])).find((s) => s.name === 'DealService');
      expect(dealService?.method.map((m) => m.name)).toEqual(expect.arrayContaining(['GetDeal', 'WinDeal']));
    });

    it('answers NOT_FOUND for an unknown symbol', async () => {
      const answer = await reflection.ask({ file_containing_symbol: 'crm.v1.NoSuchThing' });
      expect(answer.error_response?.error_code).toBe(status.NOT_FOUND);
    });
  });

  // Last: it stops the kit the other tests use.
  describe('graceful stop', () => {
    it('finishes a request in flight, then refuses connections', async () => {
      const inFlight = fetch(url('/test/slow')).then(async (r) => ({ status: r.status, body: await r.json() }));
      // Let the request reach the handler before stopping.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await expect(booted.kit.stop()).resolves.toBeUndefined();
      // A kept-alive connection must not hold the stop until the client's keep-alive timeout (about 4 s).
      expect(Date.now() - started).toBeLessThan(2000);
      await expect(inFlight).resolves.toEqual({ status: 200, body: { done: true } });
      expect(await tcpConnect(httpPort)).toBe('ECONNREFUSED');
      expect(await tcpConnect(Number(grpcAddress.split(':')[1]))).toBe('ECONNREFUSED');
      expect(booted.kit.amqp.isConnected()).toBe(false);
      expect(booted.kit.mongo.readyState).toBe(0);
    });

    it('resolves a second stop as well', async () => {
      await expect(booted.kit.stop()).resolves.toBeUndefined();
    });
  });
});

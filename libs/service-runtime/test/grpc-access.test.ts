import { credentials, InterceptingCall, Metadata, status } from '@grpc/grpc-js';
import { Lead, LeadServiceClient, LeadServiceService, ListLeadsRequest, ListLeadsResponse, UpdateLeadRequest } from '@crm/contracts';
import { asCaller, generateTestCertificates, grpcFailure, insecure, type TestCertificates, unaryCall, withReason } from '@crm/testing';
import { actorOf, callerOf, grpcClientCredentials, unary, type GrpcServiceBinding } from '../src';
import { bootKit, cleanUp, HealthClient, ReflectionClient, type TestKit } from './support';

// Callers as an operator would configure them: a console that reads and writes (with a second token while
// rotating), a viewer with no scope entry (so: read), and an admin-only tool.
const tokens = { console: 'console-token-1', consoleNext: 'console-token-2', viewer: 'viewer-token-1', rules: 'rules-token-1' };
const callerEnv = {
  GRPC_CLIENTS: `console=${tokens.console},console=${tokens.consoleNext},viewer=${tokens.viewer},rules=${tokens.rules}`,
  GRPC_CLIENT_SCOPES: 'console=read|write,rules=admin',
};

// LeadService whose answers show what the guard told the handler: GetLead answers the actor of a change made "for"
// the requested id, UpdateLead the caller's name; ListLeads needs admin here, to have a method of each scope.
function echoingCallers(booted: TestKit): GrpcServiceBinding {
  const { logger } = booted.kit;
  return {
    name: 'crm.v1.LeadService',
    definition: LeadServiceService,
    implementation: {
      getLead: unary(logger, async (req: { id: string }, call) => ({ lead: Lead.fromPartial({ id: actorOf(call, req.id) }) })),
      listLeads: unary(logger, async () => ListLeadsResponse.fromPartial({})),
      updateLead: unary(logger, async (_req, call) => ({ lead: Lead.fromPartial({ id: callerOf(call) }), changedFields: [] })),
    },
    scopes: { getLead: 'read', updateLead: 'write', listLeads: 'admin', eraseLead: 'admin', exportLead: 'read' },
  };
}

async function serve(variables: Record<string, string>): Promise<{ booted: TestKit; address: string }> {
  const booted = await bootKit(variables);
  const { grpcPort } = await booted.kit.serve({ grpc: [echoingCallers(booted)] });
  return { booted, address: `127.0.0.1:${grpcPort}` };
}

describe('gRPC callers: bearer tokens and scopes', () => {
  let server: { booted: TestKit; address: string };
  const clients: LeadServiceClient[] = [];
  const as = (token?: string) => {
    const client = new LeadServiceClient(server.address, insecure(), token === undefined ? {} : asCaller(token));
    clients.push(client);
    return client;
  };
  const getLead = (client: LeadServiceClient, id = 'l-1') => unaryCall<{ lead?: Lead }>((done) => client.getLead({ id }, done));
  const updateLead = (client: LeadServiceClient) =>
    unaryCall<{ lead?: Lead }>((done) => client.updateLead(UpdateLeadRequest.fromPartial({ id: 'l-1' }), done));
  const listLeads = (client: LeadServiceClient) => unaryCall((done) => client.listLeads(ListLeadsRequest.fromPartial({}), done));

  beforeAll(async () => {
    server = await serve(callerEnv);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.booted.kit.stop();
    if (server) await cleanUp(server.booted);
  });

  it('refuses a call without a token, or with a malformed one, as UNAUTHENTICATED', async () => {
    const missing = await grpcFailure(getLead(as()));
    expect(missing).toMatchObject({ code: status.UNAUTHENTICATED, metadata: withReason('CREDENTIAL_MISSING') });
    expect(missing?.details).toContain('authorization: Bearer <token>');
    const notBearer = new LeadServiceClient(server.address, insecure(), {
      interceptors: [
        (options, next) =>
          new InterceptingCall(next(options), {
            start(metadata, listener, go) {
              metadata.set('authorization', `Basic ${tokens.console}`);
              go(metadata, listener);
            },
          }),
      ],
    });
    clients.push(notBearer);
    expect((await grpcFailure(getLead(notBearer)))?.code).toBe(status.UNAUTHENTICATED);
  });

  it('refuses an unknown token, a prefix of a known one and a token of another system, and never echoes it', async () => {
    for (const token of ['no-such-token-anywhere', tokens.console.slice(0, -1), `${tokens.console}x`, 'test-grpc-token-for-every-scope']) {
      const err = await grpcFailure(getLead(as(token)));
      expect(err).toMatchObject({ code: status.UNAUTHENTICATED, metadata: withReason('CREDENTIAL_INVALID') });
      expect(err?.details).toBe('the bearer token is not valid');
    }
  });

  it("lets a known token in, either of a name's tokens while rotating", async () => {
    expect((await getLead(as(tokens.console))).lead?.id).toBe('l-1 via console');
    expect((await getLead(as(tokens.consoleNext))).lead?.id).toBe('l-1 via console');
  });

  it('gives a caller with no scope entry read, and nothing more', async () => {
    expect((await getLead(as(tokens.viewer))).lead?.id).toBe('l-1 via viewer');
    const denied = await grpcFailure(updateLead(as(tokens.viewer)));
    expect(denied).toMatchObject({ code: status.PERMISSION_DENIED, metadata: withReason('SCOPE_NOT_GRANTED') });
    expect(denied?.details).toBe('viewer may not call /crm.v1.LeadService/UpdateLead: it needs the "write" scope');
  });

  it('allows each method to the scopes named for it only', async () => {
    expect((await updateLead(as(tokens.console))).lead?.id).toBe('console');
    expect((await grpcFailure(listLeads(as(tokens.console))))?.code).toBe(status.PERMISSION_DENIED);
    // Admin alone: the admin method, but neither reads nor writes.
    await expect(listLeads(as(tokens.rules))).resolves.toBeDefined();
    expect((await grpcFailure(getLead(as(tokens.rules))))?.code).toBe(status.PERMISSION_DENIED);
    expect((await grpcFailure(updateLead(as(tokens.rules))))?.code).toBe(status.PERMISSION_DENIED);
  });

  it('records the caller as the actor, with the person it acts for when the request names one', async () => {
    expect((await getLead(as(tokens.console), '')).lead?.id).toBe('console');
    expect((await getLead(as(tokens.console), 'ana')).lead?.id).toBe('ana via console');
  });

  it('answers health and reflection without a token, as probes and grpcurl call them', async () => {
    const health = new HealthClient(server.address);
    const reflection = new ReflectionClient(server.address);
    try {
      await expect(health.check('')).resolves.toMatch(/SERVING/);
      const listed = await reflection.ask({ list_services: '' });
      expect(listed.list_services_response?.service.map((s) => s.name)).toContain('crm.v1.LeadService');
    } finally {
      health.close();
      reflection.close();
    }
  });

  it('refuses every call when no caller is configured', async () => {
    const closed = await serve({ GRPC_CLIENTS: '', GRPC_CLIENT_SCOPES: '' });
    const client = new LeadServiceClient(closed.address, insecure(), asCaller());
    try {
      expect((await grpcFailure(getLead(client)))?.code).toBe(status.UNAUTHENTICATED);
    } finally {
      client.close();
      await closed.booted.kit.stop();
      await cleanUp(closed.booted);
    }
  });

  it('refuses to start a service with a method that names no scope', async () => {
    const booted = await bootKit(callerEnv);
    try {
      const binding = { ...echoingCallers(booted), scopes: { getLead: 'read', updateLead: 'write' } } as GrpcServiceBinding;
      await expect(booted.kit.serve({ grpc: [binding] })).rejects.toThrow('/crm.v1.LeadService/ListLeads names no scope');
      const misspelt = {
        ...echoingCallers(booted),
        scopes: { getLead: 'read', updateLead: 'write', listLeads: 'read', eraseLead: 'admin', exportLead: 'read', listLead: 'read' },
      } as GrpcServiceBinding;
      await expect(booted.kit.serve({ grpc: [misspelt] })).rejects.toThrow('scopes name no method of the service: listLead');
    } finally {
      await booted.kit.stop();
      await cleanUp(booted);
    }
  });
});

describe('gRPC over TLS and mutual TLS, with certificates made for the test', () => {
  let certs: TestCertificates;
  const started: TestKit[] = [];
  const clients: LeadServiceClient[] = [];

  beforeAll(() => {
    certs = generateTestCertificates();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const booted of started) {
      await booted.kit.stop();
      await cleanUp(booted);
    }
  });

  async function tlsServer(clientCa: boolean): Promise<string> {
    const { booted, address } = await serve({
      ...callerEnv,
      GRPC_TLS_CERT_FILE: certs.serverCert,
      GRPC_TLS_KEY_FILE: certs.serverKey,
      ...(clientCa ? { GRPC_TLS_CLIENT_CA_FILE: certs.caCert } : {}),
    });
    started.push(booted);
    return address;
  }

  const call = (address: string, creds: ReturnType<typeof credentials.createInsecure>, deadlineMs = 5000) => {
    const client = new LeadServiceClient(address, creds, asCaller(tokens.console));
    clients.push(client);
    return unaryCall<{ lead?: Lead }>((done) => client.getLead({ id: 'l-1' }, new Metadata(), { deadline: Date.now() + deadlineMs }, done));
  };
  const trustingCa = (cert = '', key = '') => grpcClientCredentials({ caFile: certs.caCert, certFile: cert, keyFile: key }, 'TEST_TLS_');

  it('serves TLS to a client that trusts the CA, and refuses plaintext and untrusting clients', async () => {
    const address = await tlsServer(false);
    expect((await call(address, trustingCa())).lead?.id).toBe('l-1 via console');
    expect((await grpcFailure(call(address, insecure(), 2000)))?.code).toBe(status.UNAVAILABLE);
    expect((await grpcFailure(call(address, credentials.createSsl(), 2000)))?.code).toBe(status.UNAVAILABLE);
  });

  it('with a client CA, lets in only clients with a certificate it signed, and still asks for the token', async () => {
    const address = await tlsServer(true);
    expect((await call(address, trustingCa(certs.clientCert, certs.clientKey))).lead?.id).toBe('l-1 via console');
    expect((await grpcFailure(call(address, trustingCa(), 2000)))?.code).toBe(status.UNAVAILABLE);
    expect((await grpcFailure(call(address, trustingCa(certs.strangerCert, certs.strangerKey), 2000)))?.code).toBe(status.UNAVAILABLE);
    const noToken = new LeadServiceClient(address, trustingCa(certs.clientCert, certs.clientKey));
    clients.push(noToken);
    expect((await grpcFailure(unaryCall((done) => noToken.getLead({ id: 'l-1' }, done))))?.code).toBe(status.UNAUTHENTICATED);
  });

  it('refuses to start with half a TLS configuration or an unreadable file, naming the variable', async () => {
    for (const [variables, named] of [
      [{ GRPC_TLS_CERT_FILE: certs.serverCert }, 'GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE: set both'],
      [{ GRPC_TLS_CLIENT_CA_FILE: certs.caCert }, 'GRPC_TLS_CLIENT_CA_FILE: mutual TLS needs'],
      [{ GRPC_TLS_CERT_FILE: `${certs.dir}/missing.crt`, GRPC_TLS_KEY_FILE: certs.serverKey }, 'GRPC_TLS_CERT_FILE: cannot read'],
    ] as const) {
      const booted = await bootKit({ ...callerEnv, ...variables });
      started.push(booted);
      await expect(booted.kit.serve({ grpc: [echoingCallers(booted)] })).rejects.toThrow(named);
    }
  });
});

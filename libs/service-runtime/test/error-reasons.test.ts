import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { LeadServiceClient, LeadServiceService, RpcStatus, type GetLeadResponse } from '@crm/contracts';
import { codeOfReason, DomainError, errorReasons, type DomainErrorCode, type ErrorReason } from '@crm/errors';
import { asCaller, insecure, unaryCall, waitFor } from '@crm/testing';
import { errorInfoOf, statusDetailsKey, statusOfReason, unary, type GrpcServiceBinding } from '../src';
import { bootKit, cleanUp, type TestKit } from './support';

// Every reason of the catalogue, raised behind a real HTTP route and a real gRPC method of a kit on the real
// infrastructure: each must reach the caller with its status, in the problem+json body and in the ErrorInfo of
// the grpc-status-details-bin trailer. The services' own tests show the reasons where each is raised.
class CatalogueRefusal extends DomainError {
  readonly code: DomainErrorCode;

  constructor(reason: ErrorReason) {
    super(reason, `refused for ${reason}`);
    this.code = codeOfReason(reason);
  }
}

const reasons = Object.keys(errorReasons) as ErrorReason[];
const isReason = (value: string): value is ErrorReason => Object.hasOwn(errorReasons, value);

describe('every error reason, over HTTP and gRPC', () => {
  let booted: TestKit;
  let httpPort: number;
  let leads: LeadServiceClient;

  beforeAll(async () => {
    booted = await bootKit();
    const binding: GrpcServiceBinding = {
      name: 'crm.v1.LeadService',
      definition: LeadServiceService,
      implementation: {
        getLead: unary<{ id: string }, GetLeadResponse>(booted.kit.logger, async ({ id }) => {
          if (isReason(id)) throw new CatalogueRefusal(id);
          return { lead: undefined };
        }),
      },
      scopes: { getLead: 'read', listLeads: 'read', updateLead: 'write', eraseLead: 'admin', exportLead: 'read' },
    };
    const ports = await booted.kit.serve({
      grpc: [binding],
      routes: (app) =>
        app.get('/test/reasons/:reason', async (req) => {
          const { reason } = req.params;
          if (isReason(reason)) throw new CatalogueRefusal(reason);
        }),
    });
    httpPort = ports.httpPort;
    leads = new LeadServiceClient(`127.0.0.1:${ports.grpcPort}`, insecure(), asCaller());
    await waitFor('the kit to be ready', async () => (await booted.kit.readiness.report()).ready, { timeoutMs: 15_000 });
  });

  afterAll(async () => {
    leads?.close();
    await booted?.kit.stop();
    if (booted) await cleanUp(booted);
  });

  it.each(reasons)('%s in the problem+json body, with its HTTP status', async (reason) => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/test/reasons/${reason}`);
    const { http, title } = statusOfReason(reason);
    expect(response.status).toBe(http);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'about:blank', status: http, title, reason });
    // A fault of the service tells its reason and nothing else.
    if (http === 500) expect(body).not.toHaveProperty('detail');
    else expect(body.detail).toBe(`refused for ${reason}`);
  });

  it.each(reasons)('%s as the ErrorInfo of the gRPC status details, with its gRPC status', async (reason) => {
    const error = await unaryCall((done) => leads.getLead({ id: reason }, done)).then(
      () => undefined,
      (err: ServiceError) => err,
    );
    const { grpc } = statusOfReason(reason);
    expect(error?.code).toBe(grpc);
    expect(errorInfoOf(error?.metadata)).toEqual({ reason, domain: 'crm', metadata: {} });
    // The trailer's google.rpc.Status repeats the call's status, as the rich error model requires.
    const details = RpcStatus.decode(error!.metadata.get(statusDetailsKey)[0] as Buffer);
    expect(details).toMatchObject({ code: grpc, message: error!.details });
    if (grpc === status.INTERNAL) expect(error!.details).toBe('internal error');
  });

  it('reads no ErrorInfo from a trailer that has none or does not decode', () => {
    const garbled = new Metadata();
    garbled.set(statusDetailsKey, Buffer.from([0xff, 0xff, 0xff]));
    expect(errorInfoOf(new Metadata())).toBeUndefined();
    expect(errorInfoOf(garbled)).toBeUndefined();
    expect(errorInfoOf(undefined)).toBeUndefined();
  });
});

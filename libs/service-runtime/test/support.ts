import { connect } from 'node:net';
import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type Client, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import express from 'express';
import type { Express } from 'express';
import { LeadServiceService, ListLeadsResponse, type GetLeadResponse } from '@crm/contracts';
import { NotFoundError, PreconditionFailedError, ValidationError } from '@crm/errors';
import mongoose from 'mongoose';
import { BrokerProbe, mongoUrlWithDatabase, testGrpcEnv, testInfra, testNamespace, uniqueId } from '@crm/testing';
import { loadConfig, serviceEnv, type ServiceEnv } from '@crm/config';
import { z } from 'zod';
import { ServiceKit, unary, type GrpcServiceBinding } from '../src';

// Shared by the runtime tests: a kit booted on the real infrastructure, a tiny LeadService and HTTP routes that
// fail in each way the edges must translate, and raw clients for grpc.health.v1 and server reflection.

export const echoLimitBytes = 64;
export const secretMessage = 'connection string mongodb://admin:hunter2@db leaked';

export interface TestKit {
  kit: ServiceKit;
  database: string;
  namespace: string;
}

// `variables` as a service's environment would give them, on top of the test's infrastructure.
export async function bootKit(variables: Record<string, string> = {}): Promise<TestKit> {
  const infra = testInfra();
  const database = uniqueId('runtime_');
  const namespace = testNamespace();
  const env: ServiceEnv = loadConfig(z.object(serviceEnv({ httpPort: 0, grpcPort: 0 })), {
    MONGO_URL: mongoUrlWithDatabase(infra.mongoUrl, database),
    AMQP_URL: infra.amqpUrl,
    AMQP_NAMESPACE: namespace,
    AMQP_PREFETCH: '10',
    AMQP_MAX_DELIVERIES: '3',
    // Port 0: the OS picks free ports, so parallel test files never collide.
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SHUTDOWN_TIMEOUT_MS: '3000',
    ...testGrpcEnv,
    ...variables,
  });
  const kit = await ServiceKit.boot({ name: 'runtime-test', defaultDatabase: uniqueId('runtime_default_'), env, handleSignals: false });
  return { kit, database, namespace };
}

// Removes what a kit left on the shared servers: its exchanges and its test database.
export async function cleanUp(booted: TestKit, { broker = true, database = true } = {}): Promise<void> {
  const infra = testInfra();
  if (broker) {
    const probe = await BrokerProbe.connect(infra.amqpUrl, booted.namespace);
    await probe.deleteTopology([]);
    await probe.close();
  }
  if (database) {
    const mongo = await mongoose.createConnection(mongoUrlWithDatabase(infra.mongoUrl, booted.database)).asPromise();
    await mongo.dropDatabase();
    await mongo.close();
  }
}

// GetLead fails according to the id; ListLeads answers an empty page.
export function leadServiceBinding(kit: ServiceKit): GrpcServiceBinding {
  return {
    name: 'crm.v1.LeadService',
    definition: LeadServiceService,
    implementation: {
      getLead: unary<{ id: string }, GetLeadResponse>(kit.logger, async ({ id }) => {
        if (id === 'missing') throw new NotFoundError('LEAD_NOT_FOUND', 'Lead', id);
        if (id === 'invalid') {
          throw new ValidationError('REQUEST_INVALID', [
            { field: 'id', rule: 'format', message: 'must be a lead id' },
            { field: 'source.channel', rule: 'required', message: 'is required' },
          ]);
        }
        if (id === 'boom') throw new Error(secretMessage);
        return { lead: undefined };
      }),
      listLeads: unary(kit.logger, async () => ListLeadsResponse.fromPartial({})),
    },
    scopes: { getLead: 'read', listLeads: 'read', updateLead: 'write', eraseLead: 'admin', exportLead: 'read' },
  };
}

export function testRoutes(app: Express): void {
  app.get('/test/not-found', async () => {
    throw new NotFoundError('LEAD_NOT_FOUND', 'Lead', 'l-404');
  });
  app.get('/test/invalid', async () => {
    throw new ValidationError('REQUEST_INVALID', [
      { field: 'email', rule: 'format', message: 'must be an email' },
      { field: 'source.channel', rule: 'required', message: 'is required' },
    ]);
  });
  app.get('/test/conflict', async () => {
    throw new PreconditionFailedError('LEAD_NOT_QUALIFIED', 'lead is not qualified');
  });
  app.get('/test/boom', async () => {
    throw new Error(secretMessage);
  });
  app.post('/test/echo', express.json({ limit: echoLimitBytes }), (req, res) => {
    res.json({ received: req.body as unknown });
  });
  // Slow enough that a stop can begin while it is in flight.
  app.get('/test/slow', async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    res.json({ done: true });
  });
}

const loaderOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

type ClientConstructor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => Client;

function clientConstructor(protoPath: string, qualifiedName: string): ClientConstructor {
  let node: unknown = loadPackageDefinition(loadSync(protoPath, loaderOptions));
  for (const part of qualifiedName.split('.')) node = (node as Record<string, unknown>)[part];
  return node as ClientConstructor;
}

export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

export class HealthClient {
  private readonly client: Client & {
    Check(request: { service: string }, callback: (err: ServiceError | null, res: { status: ServingStatus }) => void): void;
  };

  constructor(address: string) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { protoPath } = require('grpc-health-check') as { protoPath: string };
    const Health = clientConstructor(protoPath, 'grpc.health.v1.Health');
    this.client = new Health(address, credentials.createInsecure()) as HealthClient['client'];
  }

  check(service: string): Promise<ServingStatus> {
    return new Promise((resolve, reject) => this.client.Check({ service }, (err, res) => (err ? reject(err) : resolve(res.status))));
  }

  close(): void {
    this.client.close();
  }
}

export interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

export class ReflectionClient {
  private readonly client: Client & { ServerReflectionInfo(): ClientDuplexStream<object, ReflectionResponse> };

  constructor(address: string) {
    const protoPath = join(require.resolve('@grpc/reflection/package.json'), '..', 'build/proto/grpc/reflection/v1/reflection.proto');
    const Reflection = clientConstructor(protoPath, 'grpc.reflection.v1.ServerReflection');
    this.client = new Reflection(address, credentials.createInsecure()) as ReflectionClient['client'];
  }

  // One request on its own stream, half-closed at once so no stream is left open to delay the server's shutdown.
  ask(request: object): Promise<ReflectionResponse> {
    return new Promise((resolve, reject) => {
      const stream = this.client.ServerReflectionInfo();
      let answer: ReflectionResponse | undefined;
      stream.on('data', (response: ReflectionResponse) => (answer ??= response));
      stream.on('error', reject);
      stream.on('end', () => (answer ? resolve(answer) : reject(new Error('reflection stream ended without an answer'))));
      stream.write(request);
      stream.end();
    });
  }

  close(): void {
    this.client.close();
  }
}

export function grpcMetadataValues(metadata: Metadata | undefined, key: string): string[] {
  return (metadata?.get(key) ?? []).map(String);
}

// Resolves with the socket error code of a plain TCP connect, or 'connected' when something accepts it.
export function tcpConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

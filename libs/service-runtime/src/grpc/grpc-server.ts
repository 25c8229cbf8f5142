import { Server, type ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '@crm/logging';
import { guardingCallers, type CallerAccess, type MethodScopes } from './access/caller-guard';
import { addReflection } from './reflection';
import { refusingUndecodableRequests } from './undecodable-requests';

export interface GrpcServiceBinding {
  // Full name, e.g. "crm.v1.DealService", under which health is reported.
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
  // The scope each method needs (see @crm/access).
  scopes: MethodScopes;
}

export interface GrpcServerOptions {
  port: number;
  credentials: ServerCredentials;
  access: CallerAccess;
  logger: Logger;
  host?: string;
}

export interface RunningGrpcServer {
  port: number;
  setServing(serving: boolean): void;
  // Refuses new calls and waits for those in progress, forcing after timeoutMs.
  stop(timeoutMs: number): Promise<void>;
}

// The server, the standard grpc.health.v1.Health service and server reflection (so `grpcurl list` works). The
// services' methods answer authenticated callers only; health and reflection answer anyone, as probes and tools
// call them without a token.
export async function startGrpcServer(bindings: GrpcServiceBinding[], options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { port, credentials, access, logger, host = '0.0.0.0' } = options;
  const server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  for (const binding of bindings) {
    const { definition, implementation } = refusingUndecodableRequests(binding.definition, binding.implementation);
    server.addService(definition, guardingCallers(definition, implementation, binding.scopes, access, logger));
  }

  const health = new HealthImplementation({ '': 'NOT_SERVING', ...Object.fromEntries(bindings.map((b) => [b.name, 'NOT_SERVING'])) });
  health.addToServer(server);

  addReflection(server, [...bindings.map((b) => b.name), 'grpc.health.v1.Health']);

  const boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, credentials, (err, actual) => (err ? reject(err) : resolve(actual))),
  );

  return {
    port: boundPort,
    setServing(serving) {
      const status = serving ? 'SERVING' : 'NOT_SERVING';
      health.setStatus('', status);
      for (const binding of bindings) health.setStatus(binding.name, status);
    },
    stop(timeoutMs) {
      return new Promise((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), timeoutMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { addReflection } from './reflection';
import { refusingUndecodableRequests } from './undecodable-requests';

export interface GrpcServiceBinding {
  // Full name, e.g. "crm.v1.DealService", under which health is reported.
  name: string;
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

export interface RunningGrpcServer {
  port: number;
  setServing(serving: boolean): void;
  // Refuses new calls and waits for those in progress, forcing after timeoutMs.
  stop(timeoutMs: number): Promise<void>;
}

// The server, the standard grpc.health.v1.Health service and server reflection (so `grpcurl list` works).
export async function startGrpcServer(port: number, bindings: GrpcServiceBinding[], host = '0.0.0.0'): Promise<RunningGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  for (const binding of bindings) {
    const { definition, implementation } = refusingUndecodableRequests(binding.definition, binding.implementation);
    server.addService(definition, implementation);
  }

  const health = new HealthImplementation({ '': 'NOT_SERVING', ...Object.fromEntries(bindings.map((b) => [b.name, 'NOT_SERVING'])) });
  health.addToServer(server);

  addReflection(server, [...bindings.map((b) => b.name), 'grpc.health.v1.Health']);

  const boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, actual) => (err ? reject(err) : resolve(actual))),
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

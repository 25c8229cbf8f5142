import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { protoDescriptorSet } from '@crm/contracts';

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

const loaderOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

// The server, the standard grpc.health.v1.Health service and server reflection (so `grpcurl list` works).
export async function startGrpcServer(port: number, bindings: GrpcServiceBinding[], host = '0.0.0.0'): Promise<RunningGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  for (const binding of bindings) server.addService(binding.definition, binding.implementation);

  const health = new HealthImplementation({ '': 'NOT_SERVING', ...Object.fromEntries(bindings.map((b) => [b.name, 'NOT_SERVING'])) });
  health.addToServer(server);

  const reflectable = {
    ...loadFileDescriptorSetFromBuffer(protoDescriptorSet(), loaderOptions),
    ...loadSync(healthProtoPath, loaderOptions),
  };
  new ReflectionService(reflectable).addToServer(server);

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

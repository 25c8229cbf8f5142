import { Client, credentials, Metadata, type ClientOptions, type ServiceError } from '@grpc/grpc-js';
import { bearerToken } from '@crm/service-runtime';

// Turns a unary call of a ts-proto grpc-js client into a promise:
// `await unaryCall<GetLeadResponse>((done) => client.getLead({ id }, done))`.
export function unaryCall<Res>(invoke: (done: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));
}

// The error a call failed with, or undefined when it succeeded: `expect((await grpcFailure(call))?.code)`.
export function grpcFailure(call: Promise<unknown>): Promise<ServiceError | undefined> {
  return call.then(
    () => undefined,
    (err: ServiceError) => err,
  );
}

export const insecure = () => credentials.createInsecure();

// The caller tests present to the services they start: every scope, under the name "test".
export const testGrpcCaller = 'test';
export const testGrpcToken = 'test-grpc-token-for-every-scope';

// What a service started by a test is told about its gRPC callers, and the token it presents to the services it
// calls (deals and lead-intake to qualification, lead-intake to deals).
export const testGrpcEnv: Record<string, string> = {
  GRPC_CLIENTS: `${testGrpcCaller}=${testGrpcToken}`,
  GRPC_CLIENT_SCOPES: `${testGrpcCaller}=read|write|admin`,
  QUALIFICATION_GRPC_TOKEN: testGrpcToken,
  DEALS_GRPC_TOKEN: testGrpcToken,
};

// Client options that send a bearer token with every call: `new DealServiceClient(address, insecure(), asCaller())`.
export const asCaller = (token = testGrpcToken): ClientOptions => ({ interceptors: [bearerToken(token)] });

// Sends these bytes as the request of a method, whatever they decode to, as the test caller: for requests the
// generated encoder would never write.
export async function rawUnaryCall(address: string, path: string, body: Buffer): Promise<Buffer> {
  const client = new Client(address, credentials.createInsecure(), asCaller());
  const identity = (bytes: Buffer) => bytes;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(path, identity, identity, body, new Metadata(), (err, res) => (err ? reject(err) : resolve(res!))),
    );
  } finally {
    client.close();
  }
}

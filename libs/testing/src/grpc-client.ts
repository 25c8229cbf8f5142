import { credentials, type ServiceError } from '@grpc/grpc-js';

// Turns a unary call of a ts-proto grpc-js client into a promise:
// `await unaryCall<GetLeadResponse>((done) => client.getLead({ id }, done))`.
export function unaryCall<Res>(invoke: (done: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));
}

export const insecure = () => credentials.createInsecure();

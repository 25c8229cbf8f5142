import { Metadata, type CallOptions, type Client, type ClientOptions, type ServiceError } from '@grpc/grpc-js';
import { asCaller, insecure } from './grpc-client';

interface UnaryMethodDefinition<Req, Res> {
  requestStream: false;
  responseStream: false;
  requestDeserialize: (bytes: Buffer) => Req;
  responseDeserialize: (bytes: Buffer) => Res;
}

// Every unary method of a generated service as a promise: the request is filled with the contract's defaults, so a
// test names only the fields it means: `await deals.moveDealStage({ dealId, stage: 'won' })`.
export type PromiseClient<Service> = {
  [Method in keyof Service]: Service[Method] extends UnaryMethodDefinition<infer Req, infer Res>
    ? (request?: Partial<Req>, metadata?: Metadata, options?: Partial<CallOptions>) => Promise<Res>
    : never;
} & { close(): void };

// What ts-proto generates for a service: a grpc-js client constructor that carries its service definition.
export interface GeneratedClientConstructor<Service> {
  new (address: string, credentials: ReturnType<typeof insecure>, options?: Partial<ClientOptions>): Client;
  service: Service;
}

type UnaryInvoker = (
  request: unknown,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (err: ServiceError | null, res: unknown) => void,
) => void;

// A typed client of a service started by a test, presenting the test caller's token (every scope) unless told
// otherwise.
export function promiseClient<Service extends object>(
  Constructor: GeneratedClientConstructor<Service>,
  address: string,
  options: Partial<ClientOptions> = asCaller(),
): PromiseClient<Service> {
  const client = new Constructor(address, insecure(), options);
  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const [name, definition] of Object.entries(Constructor.service) as [string, UnaryMethodDefinition<unknown, unknown>][]) {
    if (definition.requestStream || definition.responseStream) continue;
    const invoke = (client as unknown as Record<string, UnaryInvoker>)[name].bind(client);
    const defaults = () => definition.requestDeserialize(Buffer.alloc(0)) as object;
    methods[name] = (request: object = {}, metadata = new Metadata(), options: Partial<CallOptions> = {}) =>
      new Promise((resolve, reject) =>
        invoke({ ...defaults(), ...request }, metadata, options, (err, res) => (err ? reject(err) : resolve(res))),
      );
  }
  return methods as PromiseClient<Service>;
}

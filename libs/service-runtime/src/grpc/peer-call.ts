import { Metadata, status as GrpcStatus, type CallOptions, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import type { GrpcPeer } from '@crm/config';
import { DependencyUnavailableError } from '@crm/errors';
import { activeTraceparent, SpanKind, traced, traceparentKey } from '@crm/tracing';
import { bearerToken } from './access/bearer-token.interceptor';
import { grpcClientCredentials } from './access/tls-credentials';

type ClientOf<C> = new (address: string, credentials: ChannelCredentials, options: object) => C;

// A ts-proto client of another service, with its TLS and bearer token as configured.
export function peerClient<C>(Client: ClientOf<C>, peer: GrpcPeer): C {
  return new Client(peer.address, grpcClientCredentials(peer.tls, peer.tlsPrefix), { interceptors: [bearerToken(peer.token)] });
}

// One unary call to another service, within the peer's timeout. NOT_FOUND answers undefined (the peer knows no such
// thing); any other failure is UNAVAILABLE, so the caller's caller knows to retry rather than fix its request. Each
// call is a client span, and the callee continues its trace (traceparent metadata). `method` names the RPC
// ("crm.v1.QualificationService/GetQualification").
export function callPeer<Res>(
  peer: GrpcPeer,
  method: string,
  invoke: (metadata: Metadata, options: CallOptions, done: (err: ServiceError | null, res: Res) => void) => unknown,
): Promise<Res | undefined> {
  return traced(
    method,
    { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'grpc', 'server.address': peer.address } },
    () =>
      new Promise<Res | undefined>((resolve, reject) => {
        const metadata = new Metadata();
        const traceparent = activeTraceparent();
        if (traceparent) metadata.set(traceparentKey, traceparent);
        invoke(metadata, { deadline: Date.now() + peer.timeoutMs }, (err, res) => {
          if (!err) return resolve(res);
          if (err.code === GrpcStatus.NOT_FOUND) return resolve(undefined);
          reject(
            new DependencyUnavailableError(
              'PEER_UNAVAILABLE',
              `${method} at ${peer.address} could not answer (${GrpcStatus[err.code]}: ${err.details}); retry later`,
            ),
          );
        });
      }),
  );
}

import { z } from 'zod';
import { positiveInt } from './env-schemas';
import { secret } from './secret';

const peerFields = (defaultAddress: string) => ({
  GRPC_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port')
    .default(defaultAddress),
  // How long a call waits for the answer.
  TIMEOUT_MS: positiveInt(3000),
  // The bearer token presented (one of the peer's GRPC_CLIENTS, with the scope the calls need).
  GRPC_TOKEN: secret(z.string().default('')),
  // TLS to the peer: the CA that signed its certificate turns TLS on; a certificate and key of the caller's own
  // answer a peer that asks for one (mutual TLS).
  GRPC_TLS_CA_FILE: z.string().default(''),
  GRPC_TLS_CERT_FILE: z.string().default(''),
  GRPC_TLS_KEY_FILE: z.string().default(''),
});

type PeerFields = ReturnType<typeof peerFields>;
type PrefixedFields<P extends string> = { [K in keyof PeerFields as `${P}_${K}`]: PeerFields[K] };

// The variables with which a service reaches another one's gRPC API, named after it: "QUALIFICATION" gives
// QUALIFICATION_GRPC_ADDRESS, QUALIFICATION_TIMEOUT_MS, QUALIFICATION_GRPC_TOKEN and QUALIFICATION_GRPC_TLS_*.
export function grpcPeerEnv<P extends string>(prefix: P, defaultAddress: string): PrefixedFields<P> {
  return Object.fromEntries(
    Object.entries(peerFields(defaultAddress)).map(([name, schema]) => [`${prefix}_${name}`, schema]),
  ) as PrefixedFields<P>;
}

export interface GrpcPeer {
  address: string;
  timeoutMs: number;
  token: string;
  tls: { caFile: string; certFile: string; keyFile: string };
  // The variables' common prefix, to name them in errors ("QUALIFICATION_GRPC_TLS_").
  tlsPrefix: string;
}

type PeerConfig<P extends string> = { [K in keyof PeerFields as `${P}_${K}`]: z.output<PeerFields[K]> };

// A peer's settings, read from a parsed configuration.
export function grpcPeerOf<P extends string>(config: PeerConfig<P>, prefix: P): GrpcPeer {
  const value = <K extends keyof PeerFields>(name: K) =>
    (config as Record<string, unknown>)[`${prefix}_${name}`] as z.output<PeerFields[K]>;
  return {
    address: value('GRPC_ADDRESS'),
    timeoutMs: value('TIMEOUT_MS'),
    token: value('GRPC_TOKEN'),
    tls: { caFile: value('GRPC_TLS_CA_FILE'), certFile: value('GRPC_TLS_CERT_FILE'), keyFile: value('GRPC_TLS_KEY_FILE') },
    tlsPrefix: `${prefix}_GRPC_TLS_`,
  };
}

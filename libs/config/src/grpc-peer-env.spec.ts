import { z } from 'zod';
import { grpcPeerEnv, grpcPeerOf } from './grpc-peer-env';
import { isSecret } from './secret';

describe('grpcPeerEnv', () => {
  const schema = z.object({ ...grpcPeerEnv('DEALS', '127.0.0.1:50053') });

  it('names every variable after the peer, with defaults, the token a secret', () => {
    expect(Object.keys(schema.shape).sort()).toEqual(
      [
        'DEALS_GRPC_ADDRESS',
        'DEALS_GRPC_TLS_CA_FILE',
        'DEALS_GRPC_TLS_CERT_FILE',
        'DEALS_GRPC_TLS_KEY_FILE',
        'DEALS_GRPC_TOKEN',
        'DEALS_TIMEOUT_MS',
      ].sort(),
    );
    expect(isSecret(schema.shape.DEALS_GRPC_TOKEN)).toBe(true);
    expect(isSecret(schema.shape.DEALS_GRPC_ADDRESS)).toBe(false);
    expect(grpcPeerOf(schema.parse({}), 'DEALS')).toEqual({
      address: '127.0.0.1:50053',
      timeoutMs: 3000,
      token: '',
      tls: { caFile: '', certFile: '', keyFile: '' },
      tlsPrefix: 'DEALS_GRPC_TLS_',
    });
  });

  it('reads what is set, and refuses an address that is not host:port', () => {
    const config = schema.parse({ DEALS_GRPC_ADDRESS: 'deals:50053', DEALS_TIMEOUT_MS: '500', DEALS_GRPC_TOKEN: 't' });
    expect(grpcPeerOf(config, 'DEALS')).toMatchObject({ address: 'deals:50053', timeoutMs: 500, token: 't' });
    expect(schema.safeParse({ DEALS_GRPC_ADDRESS: 'http://deals' }).success).toBe(false);
  });
});

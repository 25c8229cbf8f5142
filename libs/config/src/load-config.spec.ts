import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { serviceEnv } from './env-schemas';

const schema = z.object(serviceEnv({ httpPort: 3003, grpcPort: 50053 }));

describe('loadConfig', () => {
  it('applies the loopback defaults when nothing is set', () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      HTTP_PORT: 3003,
      GRPC_PORT: 50053,
      AMQP_NAMESPACE: '',
    });
  });

  it('coerces numbers from strings', () => {
    expect(loadConfig(schema, { HTTP_PORT: '8080' }).HTTP_PORT).toBe(8080);
  });

  it('names every bad variable with its value', () => {
    let error: unknown;
    try {
      loadConfig(schema, { HTTP_PORT: 'eighty', AMQP_URL: 'http://broker', GRPC_PORT: '70000' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('HTTP_PORT: must be a port number (got "eighty")');
    expect(message).toContain('AMQP_URL: must be a URL starting with amqp:// or amqps:// (got "http://broker")');
    expect(message).toContain('GRPC_PORT: must be between 0 and 65535 (got "70000")');
  });
});

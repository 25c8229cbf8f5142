import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { secret } from './secret';
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

  it('names every bad variable, with its value unless it is a secret', () => {
    const message = problemsOf(() => loadConfig(schema, { HTTP_PORT: 'eighty', AMQP_URL: 'http://user:pw@broker', GRPC_PORT: '70000' }));
    expect(message).toContain('HTTP_PORT: must be a port number (got "eighty")');
    expect(message).toContain('GRPC_PORT: must be between 0 and 65535 (got "70000")');
    // AMQP_URL may carry a password: named, never quoted.
    expect(message).toContain('AMQP_URL: must be a URL starting with amqp:// or amqps://');
    expect(message).not.toContain('pw@broker');
  });
});

describe('secrets from files', () => {
  const withToken = z.object({ API_TOKEN: secret(z.string().min(8, 'must be at least 8 characters')), PLAIN: z.string().default('') });
  const dir = mkdtempSync(join(tmpdir(), 'config-secrets-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads a secret from the file its _FILE form names, without the final newline', () => {
    expect(loadConfig(withToken, { API_TOKEN_FILE: file('token', 'from-a-mounted-file\n') }).API_TOKEN).toBe('from-a-mounted-file');
    expect(loadConfig(withToken, { API_TOKEN: 'straight-from-env' }).API_TOKEN).toBe('straight-from-env');
  });

  it('refuses both forms at once, and an unreadable file, naming the variable', () => {
    expect(
      problemsOf(() => loadConfig(withToken, { API_TOKEN: 'straight-from-env', API_TOKEN_FILE: file('both', 'x'.repeat(9)) })),
    ).toContain('API_TOKEN_FILE: set either API_TOKEN or API_TOKEN_FILE, not both');
    expect(problemsOf(() => loadConfig(withToken, { API_TOKEN_FILE: join(dir, 'missing') }))).toContain('API_TOKEN_FILE: cannot read');
  });

  it('never quotes a secret read from a file when it is invalid', () => {
    const message = problemsOf(() => loadConfig(withToken, { API_TOKEN_FILE: file('short', 'shhh') }));
    expect(message).toContain('API_TOKEN: must be at least 8 characters');
    expect(message).not.toContain('shhh');
  });

  it('has no _FILE form for a variable that is not a secret', () => {
    expect(loadConfig(withToken, { API_TOKEN: 'straight-from-env', PLAIN_FILE: file('plain', 'ignored') }).PLAIN).toBe('');
  });
});

function problemsOf(load: () => unknown): string {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

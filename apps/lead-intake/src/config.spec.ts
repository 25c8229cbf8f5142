import { ConfigError, loadConfig } from '@crm/config';
import { leadIntakeConfigSchema } from './config';

const load = (env: Record<string, string>) => loadConfig(leadIntakeConfigSchema, env);

describe('lead-intake configuration', () => {
  it('takes trusted proxies as addresses, CIDR ranges and the names express knows', () => {
    expect(load({ INTAKE_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.10, fd00::/8, loopback' }).INTAKE_TRUSTED_PROXIES).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
      'fd00::/8',
      'loopback',
    ]);
    expect(load({}).INTAKE_TRUSTED_PROXIES).toEqual([]);
  });

  it('refuses a proxy that is no address, or a prefix too long', () => {
    for (const bad of ['proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/2', 'everyone']) {
      expect(() => load({ INTAKE_TRUSTED_PROXIES: bad })).toThrow(ConfigError);
    }
  });

  it('refuses an origin with a path', () => {
    expect(() => load({ INTAKE_CORS_ORIGINS: 'https://www.example.com/form' })).toThrow('is not an origin');
  });

  it('has limits for campaign bursts through one key and for one sender', () => {
    expect(load({})).toMatchObject({ INTAKE_RATE_LIMIT_POINTS: 6000, INTAKE_RATE_LIMIT_PER_ADDRESS: 30, INTAKE_HONEYPOT_FIELD: 'website' });
  });
});

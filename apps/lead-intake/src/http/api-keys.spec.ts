import { UnauthenticatedError } from '@crm/errors';
import { ApiKeys } from './api-keys';

describe('ApiKeys', () => {
  const keys = new ApiKeys([
    { channel: 'web-form', key: 'web-form-key-1' },
    { channel: 'web-form', key: 'web-form-key-2' },
    { channel: 'facebook', key: 'facebook-key' },
  ]);

  it('names the channel of a valid key, with several keys per channel for rotation', () => {
    expect(keys.channelFor('web-form-key-1')).toBe('web-form');
    expect(keys.channelFor('web-form-key-2')).toBe('web-form');
    expect(keys.channelFor('facebook-key')).toBe('facebook');
  });

  it('refuses a missing, wrong or prefix key', () => {
    expect(() => keys.channelFor(undefined)).toThrow(UnauthenticatedError);
    expect(() => keys.channelFor('')).toThrow(UnauthenticatedError);
    expect(() => keys.channelFor('facebook-ke')).toThrow(UnauthenticatedError);
    expect(() => keys.channelFor('facebook-key ')).toThrow(UnauthenticatedError);
  });

  it('names each key apart, so limits apply per key', () => {
    expect(keys.identify('web-form-key-1')).toEqual({ channel: 'web-form', keyId: 'web-form#1' });
    expect(keys.identify('web-form-key-2')).toEqual({ channel: 'web-form', keyId: 'web-form#2' });
  });
});

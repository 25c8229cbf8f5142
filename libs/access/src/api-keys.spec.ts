import { UnauthenticatedError } from '@crm/errors';
import { ApiKeys } from './api-keys';

describe('ApiKeys', () => {
  const keys = new ApiKeys([
    { name: 'web-form', key: 'web-form-key-1' },
    { name: 'web-form', key: 'web-form-key-2' },
    { name: 'facebook', key: 'facebook-key' },
  ]);

  it('names the holder of a valid key, with several keys per name for rotation', () => {
    expect(keys.identify('web-form-key-1').name).toBe('web-form');
    expect(keys.identify('web-form-key-2').name).toBe('web-form');
    expect(keys.identify('facebook-key').name).toBe('facebook');
  });

  it('refuses a missing, wrong or prefix key', () => {
    expect(() => keys.identify(undefined)).toThrow(UnauthenticatedError);
    expect(() => keys.identify('')).toThrow(UnauthenticatedError);
    expect(() => keys.identify('facebook-ke')).toThrow(UnauthenticatedError);
    expect(() => keys.identify('facebook-key ')).toThrow(UnauthenticatedError);
  });

  it('tells whether it knows a key, without throwing', () => {
    expect(keys.knows('facebook-key')).toBe(true);
    expect(keys.knows('facebook-ke')).toBe(false);
  });

  it('names each key apart, so limits apply per key', () => {
    expect(keys.identify('web-form-key-1')).toEqual({ name: 'web-form', keyId: 'web-form#1' });
    expect(keys.identify('web-form-key-2')).toEqual({ name: 'web-form', keyId: 'web-form#2' });
  });
});

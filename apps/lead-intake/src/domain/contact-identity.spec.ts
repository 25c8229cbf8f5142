import { identityKeysOf, normaliseEmail, normalisePhone } from './contact-identity';

describe('contact identity', () => {
  it('compares e-mail addresses whatever their case and surrounding spaces', () => {
    expect(normaliseEmail('  Ana.Perez@ACME.io ')).toBe('ana.perez@acme.io');
    expect(normaliseEmail('ana+news@acme.io')).toBe('ana+news@acme.io');
  });

  it('reads phones in E.164, national numbers in the default region', () => {
    expect(normalisePhone('+34 600 000 000', 'ES')).toBe('+34600000000');
    expect(normalisePhone('600-000-000', 'ES')).toBe('+34600000000');
    expect(normalisePhone('(600) 00 00 00', 'ES')).toBe('+34600000000');
    expect(normalisePhone('+49 151 23456789', 'ES')).toBe('+4915123456789');
    expect(normalisePhone('030 1234567', 'DE')).toBe('+49301234567');
  });

  it('refuses what is not a valid number', () => {
    expect(normalisePhone('12345', 'ES')).toBeUndefined();
    expect(normalisePhone('+34 600 000 00x', 'ES')).toBeUndefined();
    expect(normalisePhone('', 'ES')).toBeUndefined();
    expect(normalisePhone('+', 'ES')).toBeUndefined();
  });

  it('names the identities of a contact, e-mail first', () => {
    expect(identityKeysOf({ email: 'Ana@Acme.io', phone: '+34600000000' })).toEqual(['email:ana@acme.io', 'phone:+34600000000']);
    expect(identityKeysOf({ email: '', phone: '+34600000000' })).toEqual(['phone:+34600000000']);
    expect(identityKeysOf({ email: 'a@b.co', phone: '' })).toEqual(['email:a@b.co']);
  });
});

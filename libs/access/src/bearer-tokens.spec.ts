import { UnauthenticatedError } from '@crm/errors';
import { bearerTokenOf, bearerTokens } from './bearer-tokens';

describe('bearer tokens', () => {
  it('reads the token of a Bearer authorization only', () => {
    expect(bearerTokenOf('Bearer abc.def')).toBe('abc.def');
    expect(bearerTokenOf('bearer  abc ')).toBe('abc');
    for (const other of ['Basic abc', 'Bearer', 'Bearer a b', '', undefined, 42]) expect(bearerTokenOf(other)).toBeUndefined();
  });

  it('names the caller of a known token, and says where a missing one belongs', () => {
    const tokens = bearerTokens([{ name: 'prometheus', key: 'scrape-token' }], 'an Authorization: Bearer header');
    expect(tokens.identify('scrape-token').name).toBe('prometheus');
    expect(() => tokens.identify(undefined)).toThrow(
      new UnauthenticatedError('CREDENTIAL_MISSING', 'an Authorization: Bearer header is required'),
    );
    expect(() => tokens.identify(undefined)).toThrow(expect.objectContaining({ reason: 'CREDENTIAL_MISSING' }));
    expect(() => tokens.identify('other-token')).toThrow('the bearer token is not valid');
    expect(() => tokens.identify('other-token')).toThrow(expect.objectContaining({ reason: 'CREDENTIAL_INVALID' }));
  });
});

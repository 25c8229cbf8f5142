import { ValidationError } from '@crm/errors';
import { redirectTarget } from './form-redirect';

describe('form redirect', () => {
  const allowed = ['https://landing.example.com', 'http://localhost:8080'];

  it('accepts pages on an allowed origin, and none at all', () => {
    expect(redirectTarget('https://landing.example.com/thanks?x=1', allowed)).toBe('https://landing.example.com/thanks?x=1');
    expect(redirectTarget('http://localhost:8080/', allowed)).toBe('http://localhost:8080/');
    expect(redirectTarget(undefined, allowed)).toBeUndefined();
    expect(redirectTarget('', allowed)).toBeUndefined();
  });

  it.each([
    'https://evil.example.com/thanks',
    'https://landing.example.com.evil.io/',
    'http://landing.example.com/thanks',
    'https://landing.example.com:8443/',
    '//landing.example.com/thanks',
    '/thanks',
    'javascript:alert(1)',
  ])('refuses %s', (value) => {
    expect(() => redirectTarget(value, allowed)).toThrow(ValidationError);
  });

  it('refuses a value that is not text', () => {
    expect(() => redirectTarget(['https://landing.example.com/'], allowed)).toThrow(ValidationError);
  });
});

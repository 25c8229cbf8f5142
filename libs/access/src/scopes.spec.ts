import { scopeGrants } from './scopes';

describe('scopeGrants', () => {
  it('gives each named caller its scopes, and read to anyone else', () => {
    const grants = scopeGrants.parse('console=read|write, ops=read|write|admin,deals=read');
    expect(grants.of('console')).toEqual(['read', 'write']);
    expect(grants.allows('ops', 'admin')).toBe(true);
    expect(grants.allows('console', 'admin')).toBe(false);
    expect(grants.of('unnamed')).toEqual(['read']);
    expect(grants.allows('unnamed', 'write')).toBe(false);
  });

  it('does not let one scope imply another', () => {
    const grants = scopeGrants.parse('rules=admin');
    expect(grants.allows('rules', 'read')).toBe(false);
    expect(grants.allows('rules', 'write')).toBe(false);
  });

  it('refuses an unknown scope or a malformed entry, naming the entry', () => {
    for (const raw of ['ops=read|root', 'ops', 'Ops=read', 'ops=']) {
      const result = scopeGrants.safeParse(raw);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toContain('name=scope|scope');
    }
  });

  it('grants nothing beyond read when empty', () => {
    expect(scopeGrants.parse('').of('anyone')).toEqual(['read']);
  });
});

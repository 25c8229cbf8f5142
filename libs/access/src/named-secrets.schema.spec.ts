import { namedSecrets } from './named-secrets.schema';

describe('namedSecrets', () => {
  const schema = namedSecrets('caller');

  it('reads name=key pairs, with several keys per name while rotating', () => {
    expect(schema.parse(' deals=token-one-1, deals=token-two-2,ops=ops-token-3 ')).toEqual([
      { name: 'deals', key: 'token-one-1' },
      { name: 'deals', key: 'token-two-2' },
      { name: 'ops', key: 'ops-token-3' },
    ]);
    expect(schema.parse('')).toEqual([]);
  });

  it('names a bad entry by its name and never quotes a key', () => {
    for (const [raw, named] of [
      ['deals=short', 'deals'],
      ['Deals=long-enough-secret', '(bad name)'],
      ['a-secret-without-a-name', '(bad name)'],
    ]) {
      const message = schema.safeParse(raw).error?.issues[0].message ?? '';
      expect(message).toContain(`"${named}=..." is not`);
      expect(message).not.toContain('secret');
      expect(message).not.toContain('short');
    }
  });
});

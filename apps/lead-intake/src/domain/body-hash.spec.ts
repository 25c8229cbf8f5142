import { bodyHash } from './body-hash';

describe('body hash', () => {
  it('is the same whatever the order of keys, nested ones included', () => {
    expect(bodyHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(bodyHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
  });

  it('differs for any different value, list order or date', () => {
    const base = bodyHash({ a: 1, tags: ['x', 'y'], at: new Date(0) });
    expect(bodyHash({ a: 2, tags: ['x', 'y'], at: new Date(0) })).not.toBe(base);
    expect(bodyHash({ a: 1, tags: ['y', 'x'], at: new Date(0) })).not.toBe(base);
    expect(bodyHash({ a: 1, tags: ['x', 'y'], at: new Date(1) })).not.toBe(base);
    expect(bodyHash({ a: '1', tags: ['x', 'y'], at: new Date(0) })).not.toBe(base);
    expect(bodyHash({ a: null })).not.toBe(bodyHash({}));
  });
});

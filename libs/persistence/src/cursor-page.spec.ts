import { ValidationError } from '@crm/errors';
import { afterCursor, decodeCursor, encodeCursor, pageSizeOf, toPage } from './cursor-page';

describe('cursor pagination', () => {
  it('round-trips a cursor through its opaque token', () => {
    const cursor = { at: new Date('2026-11-28T10:00:00.000Z'), id: 'abc' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('')).toBeUndefined();
  });

  it('refuses a token it did not issue', () => {
    expect(() => decodeCursor('not-a-token')).toThrow(ValidationError);
    expect(() => decodeCursor(Buffer.from('{"at":"x","id":1}').toString('base64url'))).toThrow(ValidationError);
  });

  it('bounds the page size', () => {
    expect(pageSizeOf(0)).toBe(50);
    expect(pageSizeOf(10)).toBe(10);
    expect(pageSizeOf(5000)).toBe(200);
    expect(() => pageSizeOf(-1)).toThrow(ValidationError);
  });

  it('filters after the cursor on the date then the id', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(afterCursor('createdAt', { at, id: 'x' }).filter).toEqual({
      $or: [{ createdAt: { $gt: at } }, { createdAt: at, _id: { $gt: 'x' } }],
    });
    expect(afterCursor('createdAt', undefined)).toEqual({ filter: {}, sort: { createdAt: 1, _id: 1 } });
  });

  it('filters before the cursor when sorting newest first', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(afterCursor('createdAt', { at, id: 'x' }, -1)).toEqual({
      filter: { $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: 'x' } }] },
      sort: { createdAt: -1, _id: -1 },
    });
  });

  it('gives a next token only when more items follow', () => {
    const items = [1, 2, 3].map((n) => ({ id: `i${n}`, at: new Date(n * 1000) }));
    const cursorOf = (i: { id: string; at: Date }) => ({ at: i.at, id: i.id });
    const full = toPage(items, 2, cursorOf);
    expect(full.items).toHaveLength(2);
    expect(decodeCursor(full.nextPageToken)).toEqual({ at: new Date(2000), id: 'i2' });
    expect(toPage(items, 3, cursorOf).nextPageToken).toBe('');
  });
});

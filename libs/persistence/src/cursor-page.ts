import { ValidationError } from '@crm/errors';

// Stable cursor pagination over (a date field, _id): the token names the last item of the previous page,
// so inserts while paging neither skip nor repeat items.
export interface PageRequest {
  pageSize: number;
  pageToken: string;
}

export interface Cursor {
  at: Date;
  id: string;
}

export const maxPageSize = 200;
const defaultPageSize = 50;

export function pageSizeOf(requested: number): number {
  if (!Number.isInteger(requested) || requested < 0) {
    throw new ValidationError('REQUEST_INVALID', [{ field: 'page_size', rule: 'range', message: 'must be a whole number from 0 to 200' }]);
  }
  return requested === 0 ? defaultPageSize : Math.min(requested, maxPageSize);
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id })).toString('base64url');
}

export function decodeCursor(token: string): Cursor | undefined {
  if (token === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    if (typeof parsed.at === 'string' && typeof parsed.id === 'string' && !Number.isNaN(Date.parse(parsed.at))) {
      return { at: new Date(parsed.at), id: parsed.id };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('PAGE_TOKEN_INVALID', [{ field: 'page_token', rule: 'cursor', message: 'is not a token this service issued' }]);
}

// The MongoDB filter and sort for the page after `cursor`, by `field` then _id, ascending unless direction is -1.
export function afterCursor(
  field: string,
  cursor: Cursor | undefined,
  direction: 1 | -1 = 1,
): { filter: Record<string, unknown>; sort: Record<string, 1 | -1> } {
  const sort = { [field]: direction, _id: direction };
  if (!cursor) return { filter: {}, sort };
  const beyond = direction === 1 ? '$gt' : '$lt';
  return {
    filter: { $or: [{ [field]: { [beyond]: cursor.at } }, { [field]: cursor.at, _id: { [beyond]: cursor.id } }] },
    sort,
  };
}

// Runs a page query that fetched pageSize + 1 items: the extra one tells whether another page follows.
export function toPage<T>(items: T[], pageSize: number, cursorOf: (item: T) => Cursor): { items: T[]; nextPageToken: string } {
  const page = items.slice(0, pageSize);
  const nextPageToken = items.length > pageSize ? encodeCursor(cursorOf(page[page.length - 1])) : '';
  return { items: page, nextPageToken };
}

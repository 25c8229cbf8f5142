import { isValidTimestamp, timestampFromProto, timestampToProto } from './timestamp.codec';
import { WireValueError } from './wire-value-error';

describe('timestamp codec', () => {
  const at = new Date('2026-11-30T10:00:00.123Z');

  it('says an unset Timestamp with null, and null with an unset one', () => {
    expect(timestampFromProto(undefined, 'closed_at')).toBeNull();
    expect(timestampToProto(null)).toBeUndefined();
    expect(timestampToProto(undefined)).toBeUndefined();
  });

  it('carries a Date as it is', () => {
    expect(timestampFromProto(at, 'closed_at')).toBe(at);
    expect(timestampToProto(at)).toBe(at);
  });

  it('refuses the Invalid Date that seconds past what a Date holds decode to', () => {
    const invalid = new Date(Number.NaN);
    expect(isValidTimestamp(invalid)).toBe(false);
    expect(isValidTimestamp(new Date(8.64e15))).toBe(true);
    expect(() => timestampFromProto(invalid, 'occurred_at')).toThrow(WireValueError);
    expect(() => timestampFromProto(invalid, 'occurred_at')).toThrow(
      expect.objectContaining({ violations: [{ field: 'occurred_at', rule: 'timestamp', message: 'is a timestamp out of range' }] }),
    );
    expect(() => timestampToProto(invalid)).toThrow(RangeError);
  });
});

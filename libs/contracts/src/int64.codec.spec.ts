import { int64FromProto, int64Max, int64Min, int64ToProto, parseInt64, parseSafeInt64, safeInt64FromProto } from './int64.codec';
import { WireValueError } from './wire-value-error';

describe('int64 codec', () => {
  it('reads the decimal strings the generated code gives, over the whole range', () => {
    expect(parseInt64('0')).toBe(0n);
    expect(parseInt64('-42')).toBe(-42n);
    expect(parseInt64('9223372036854775807')).toBe(int64Max);
    expect(parseInt64('-9223372036854775808')).toBe(int64Min);
  });

  it('reads an unset field of a message built in process as zero', () => {
    expect(parseInt64('')).toBe(0n);
  });

  it.each(['9223372036854775808', '-9223372036854775809', '99999999999999999999', '1.5', '1e3', ' 1', '+1', '0x10', 'NaN', '-'])(
    'refuses %j',
    (text) => {
      expect(parseInt64(text)).toBeUndefined();
      expect(() => int64FromProto(text, 'expected_version')).toThrow(WireValueError);
    },
  );

  it('names the field and the range in its error, which the edges answer with INVALID_ARGUMENT', () => {
    expect.assertions(2);
    try {
      int64FromProto('9223372036854775808', 'expected_version');
    } catch (err) {
      expect((err as WireValueError).code).toBe('INVALID_ARGUMENT');
      expect((err as WireValueError).violations).toEqual([
        { field: 'expected_version', rule: 'int64', message: 'must be a whole number from -9223372036854775808 to 9223372036854775807' },
      ]);
    }
  });

  it('gives a number only within the safe integers', () => {
    expect(parseSafeInt64(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSafeInt64(String(Number.MIN_SAFE_INTEGER))).toBe(Number.MIN_SAFE_INTEGER);
    expect(parseSafeInt64('9007199254740992')).toBeUndefined();
    expect(parseSafeInt64('-9007199254740992')).toBeUndefined();
    expect(safeInt64FromProto('12', 'count')).toBe(12);
    expect(() => safeInt64FromProto('9007199254740993', 'hints.budget.amount_minor')).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ field: 'hints.budget.amount_minor', rule: 'safe-integer' })] }),
    );
  });

  it('writes bigints and safe numbers, and refuses what the wire cannot carry', () => {
    expect(int64ToProto(0)).toBe('0');
    expect(int64ToProto(-7)).toBe('-7');
    expect(int64ToProto(int64Max)).toBe('9223372036854775807');
    expect(() => int64ToProto(int64Max + 1n)).toThrow(RangeError);
    expect(() => int64ToProto(int64Min - 1n)).toThrow(RangeError);
    expect(() => int64ToProto(1.5)).toThrow(RangeError);
    expect(() => int64ToProto(Number.NaN)).toThrow(RangeError);
    expect(() => int64ToProto(2 ** 53)).toThrow(RangeError);
  });
});

import { WireValueError, type WireValueReason } from './wire-value-error';

// An int64 is a decimal string in the generated code (forceLong=string): what the wire decodes to, and what the
// encoder takes. Services hold it as a bigint, or as a number where a safe integer is enough.
export const int64Min = -(2n ** 63n);
export const int64Max = 2n ** 63n - 1n;

// "" is what a message built in process may carry for an unset field: the zero the wire would give.
const decimal = /^-?\d{1,19}$/;

// The value, or undefined when the text is no int64 (not a decimal whole number, or past its range).
export function parseInt64(value: string): bigint | undefined {
  if (value === '') return 0n;
  if (!decimal.test(value)) return undefined;
  const parsed = BigInt(value);
  return parsed >= int64Min && parsed <= int64Max ? parsed : undefined;
}

// The value as a number, or undefined when it is no int64 or past Number.MAX_SAFE_INTEGER either way.
export function parseSafeInt64(value: string): number | undefined {
  const parsed = parseInt64(value);
  return parsed !== undefined && parsed >= BigInt(Number.MIN_SAFE_INTEGER) && parsed <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(parsed)
    : undefined;
}

// A field of a request, which the caller named `field`.
export function int64FromProto(value: string, field: string, reason?: WireValueReason): bigint {
  const parsed = parseInt64(value);
  if (parsed === undefined) throw new WireValueError(field, 'int64', `must be a whole number from ${int64Min} to ${int64Max}`, reason);
  return parsed;
}

export function safeInt64FromProto(value: string, field: string, reason?: WireValueReason): number {
  const parsed = parseSafeInt64(value);
  if (parsed === undefined) {
    const range = `from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;
    throw new WireValueError(field, 'safe-integer', `must be a whole number ${range}`, reason);
  }
  return parsed;
}

// A value this service computed. One the wire cannot carry is a fault of this service, not of its caller: it throws
// a RangeError rather than send a value wrapped around.
export function int64ToProto(value: bigint | number): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer to send as an int64`);
  const whole = BigInt(value);
  if (whole < int64Min || whole > int64Max) throw new RangeError(`${value} does not fit an int64`);
  return whole.toString();
}

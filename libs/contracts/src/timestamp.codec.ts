import { WireValueError } from './wire-value-error';

// A google.protobuf.Timestamp is a Date in the generated code (useDate=true), undefined when unset; services say
// "no time" with null. Seconds past what a Date holds decode to an Invalid Date, which no service can use.
export function isValidTimestamp(value: Date): boolean {
  return !Number.isNaN(value.getTime());
}

// The refusal of a Timestamp past what a Date holds; `field` names it in the message.
export const timestampOutOfRange = (field: string) => new WireValueError(field, 'timestamp', 'is a timestamp out of range');

export function timestampFromProto(value: Date | undefined, field: string): Date | null {
  if (value === undefined) return null;
  if (!isValidTimestamp(value)) throw timestampOutOfRange(field);
  return value;
}

// An Invalid Date would be encoded as seconds NaN: a fault of this service, said as such.
export function timestampToProto(value: Date | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isValidTimestamp(value)) throw new RangeError('an Invalid Date cannot be sent as a Timestamp');
  return value;
}

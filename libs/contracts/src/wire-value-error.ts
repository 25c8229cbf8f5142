import { ValidationError } from '@crm/errors';

// A value on the wire that its contract type cannot hold in this service (an int64 that is no whole number, one past
// the range a service keeps, an enum number this build does not know). A ValidationError, so the edges answer
// INVALID_ARGUMENT / 400 with the field named, never INTERNAL.
// MONEY_INVALID for the amount of a Money, REQUEST_INVALID for any other field.
export type WireValueReason = 'REQUEST_INVALID' | 'MONEY_INVALID';

export class WireValueError extends ValidationError {
  constructor(field: string, rule: string, message: string, reason: WireValueReason = 'REQUEST_INVALID') {
    super(reason, [{ field, rule, message }]);
  }
}

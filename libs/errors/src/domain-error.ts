import type { DomainErrorCode } from './domain-error-code';
import type { ReasonOf } from './error-reasons';

// Errors the domain and the adapters raise on purpose. Each has a code that the edges (HTTP and gRPC) map to a
// status in one place, libs/service-runtime's error-status.ts, and a reason from the catalogue (error-reasons.ts)
// that travels to the caller as is. A class accepts only the reasons of its code, so the two never disagree.
// Anything else that escapes is an internal error.
export interface FieldViolation {
  field: string;
  rule: string;
  message: string;
}

export abstract class DomainError<C extends DomainErrorCode = DomainErrorCode> extends Error {
  abstract readonly code: C;

  constructor(
    readonly reason: ReasonOf<C>,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  // Facts a client may act on, sent with the reason (google.rpc.ErrorInfo's metadata): lowerCamelCase keys.
  get metadata(): Readonly<Record<string, string>> {
    return {};
  }
}

export class ValidationError extends DomainError<'INVALID_ARGUMENT'> {
  readonly code = 'INVALID_ARGUMENT';

  constructor(
    reason: ReasonOf<'INVALID_ARGUMENT'>,
    readonly violations: FieldViolation[],
    message = `Invalid ${violations.map((v) => v.field).join(', ')}: ${violations.map((v) => v.message).join('; ')}`,
  ) {
    super(reason, message);
  }
}

export class NotFoundError extends DomainError<'NOT_FOUND'> {
  readonly code = 'NOT_FOUND';

  constructor(
    reason: ReasonOf<'NOT_FOUND'>,
    readonly resource: string,
    readonly id: string,
  ) {
    super(reason, `${resource} ${id} not found`);
  }
}

// The resource existed and was erased for good (a person's right to erasure): it reads as gone, with the time.
export class ErasedError extends DomainError<'GONE'> {
  readonly code = 'GONE';

  constructor(
    reason: ReasonOf<'GONE'>,
    readonly resource: string,
    readonly id: string,
    readonly erasedAt: Date,
  ) {
    super(reason, `${resource} ${id} was erased at ${erasedAt.toISOString()}`);
  }

  override get metadata(): Readonly<Record<string, string>> {
    return { erasedAt: this.erasedAt.toISOString() };
  }
}

export class AlreadyExistsError extends DomainError<'ALREADY_EXISTS'> {
  readonly code = 'ALREADY_EXISTS';
}

export class PreconditionFailedError extends DomainError<'FAILED_PRECONDITION'> {
  readonly code = 'FAILED_PRECONDITION';
}

export class ConcurrencyConflictError extends DomainError<'ABORTED'> {
  readonly code = 'ABORTED';
}

export class UnauthenticatedError extends DomainError<'UNAUTHENTICATED'> {
  readonly code = 'UNAUTHENTICATED';
}

// The caller is known but its credential does not allow this operation (e.g. a public intake key reading leads).
export class PermissionDeniedError extends DomainError<'PERMISSION_DENIED'> {
  readonly code = 'PERMISSION_DENIED';
}

export class RateLimitedError extends DomainError<'RESOURCE_EXHAUSTED'> {
  readonly code = 'RESOURCE_EXHAUSTED';

  constructor(
    reason: ReasonOf<'RESOURCE_EXHAUSTED'>,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(reason, message);
  }

  override get metadata(): Readonly<Record<string, string>> {
    return { retryAfterSeconds: String(this.retryAfterSeconds) };
  }
}

export class DependencyUnavailableError extends DomainError<'UNAVAILABLE'> {
  readonly code = 'UNAVAILABLE';
}

// Well-formed input that cannot be processed as sent, e.g. an Idempotency-Key reused with a different body.
export class UnprocessableContentError extends DomainError<'UNPROCESSABLE_CONTENT'> {
  readonly code = 'UNPROCESSABLE_CONTENT';
}

// A rule the service keeps itself was found broken (stored data that contradicts it): a fault of the service, not
// of the request. The edges log it and tell the caller only its reason, never its message.
export class InvariantViolationError extends DomainError<'INTERNAL'> {
  readonly code = 'INTERNAL';
}

// `instanceof DomainError` alone narrows to DomainError<any>, which would let any code through unchecked.
export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

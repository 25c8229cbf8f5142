// Errors the domain and the adapters raise on purpose. Each has a code that the edges (HTTP and gRPC) map to a
// status in one place: libs/service-runtime's error-status.ts. Anything else that escapes is an internal error.
export type DomainErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'GONE'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'UNPROCESSABLE_CONTENT';

export interface FieldViolation {
  field: string;
  rule: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'INVALID_ARGUMENT';

  constructor(
    readonly violations: FieldViolation[],
    message = `Invalid ${violations.map((v) => v.field).join(', ')}: ${violations.map((v) => v.message).join('; ')}`,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';

  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} not found`);
  }
}

// The resource existed and was erased for good (a person's right to erasure): it reads as gone, with the time.
export class ErasedError extends DomainError {
  readonly code = 'GONE';

  constructor(
    readonly resource: string,
    readonly id: string,
    readonly erasedAt: Date,
  ) {
    super(`${resource} ${id} was erased at ${erasedAt.toISOString()}`);
  }
}

export class AlreadyExistsError extends DomainError {
  readonly code = 'ALREADY_EXISTS';
}

export class PreconditionFailedError extends DomainError {
  readonly code = 'FAILED_PRECONDITION';
}

export class ConcurrencyConflictError extends DomainError {
  readonly code = 'ABORTED';
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
}

// The caller is known but its credential does not allow this operation (e.g. a public intake key reading leads).
export class PermissionDeniedError extends DomainError {
  readonly code = 'PERMISSION_DENIED';
}

export class RateLimitedError extends DomainError {
  readonly code = 'RESOURCE_EXHAUSTED';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class DependencyUnavailableError extends DomainError {
  readonly code = 'UNAVAILABLE';
}

// Well-formed input that cannot be processed as sent, e.g. an Idempotency-Key reused with a different body.
export class UnprocessableContentError extends DomainError {
  readonly code = 'UNPROCESSABLE_CONTENT';
}

import type { DomainErrorCode } from './domain-error-code';

// Every reason a request can be refused for, with the code it is raised under. A reason is a stable contract: a
// client may branch on it (UPPER_SNAKE_CASE, as google.rpc.ErrorInfo asks), so one is added, never renamed or
// reused. The README's table of reasons lists each one; a test keeps the two alike.
export const errorReasons = {
  // INVALID_ARGUMENT: the request is wrong as sent; its field violations name what to fix.
  REQUEST_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'a field of the request breaks its schema' },
  REQUEST_UNDECODABLE: { code: 'INVALID_ARGUMENT', meaning: 'the gRPC request bytes do not decode as its message' },
  REQUEST_BODY_MALFORMED: { code: 'INVALID_ARGUMENT', meaning: 'the HTTP body cannot be read (not valid JSON, say)' },
  PAGE_TOKEN_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'the page token is not one this service issued' },
  IDEMPOTENCY_KEY_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'the Idempotency-Key header is not 1 to 255 visible ASCII characters' },
  REDIRECT_NOT_ALLOWED: { code: 'INVALID_ARGUMENT', meaning: "a form's redirect is not a page on an allowed origin" },
  LEAD_TAG_LIMIT_REACHED: { code: 'INVALID_ARGUMENT', meaning: 'the lead would carry more tags than allowed' },
  DECISION_INVALID: { code: 'INVALID_ARGUMENT', meaning: "a person's qualification decision lacks a valid decision, reason or actor" },
  RULE_SET_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'the rule set does not parse' },
  PIPELINE_INVALID: { code: 'INVALID_ARGUMENT', meaning: "the pipeline's id or definition is not valid" },
  STAGE_NOT_IN_PIPELINE: { code: 'INVALID_ARGUMENT', meaning: "the stage is not one of the deal's pipeline" },
  LOST_REASON_INVALID: { code: 'INVALID_ARGUMENT', meaning: "a lost deal's reason is not one of LOST_REASONS, or its note is too long" },
  ACTIVITY_INVALID: { code: 'INVALID_ARGUMENT', meaning: 'the activity is not valid' },
  MONEY_INVALID: {
    code: 'INVALID_ARGUMENT',
    meaning: "a deal's value or a price is not whole minor units of an ISO 4217 currency, or is out of range",
  },
  DATE_RANGE_INVALID: { code: 'INVALID_ARGUMENT', meaning: "a report's range does not end after it starts" },
  // CONTENT_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE: an HTTP body's refusals.
  REQUEST_BODY_TOO_LARGE: { code: 'CONTENT_TOO_LARGE', meaning: 'the HTTP body is larger than the route takes' },
  MEDIA_TYPE_UNSUPPORTED: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    meaning: 'the HTTP body is of a media type or charset the route does not take',
  },
  // NOT_FOUND
  ROUTE_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'no HTTP route answers this method and path' },
  LEAD_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'no lead has this id' },
  QUALIFICATION_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'no qualification of this lead exists' },
  RULE_SET_VERSION_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'no rule set has this version' },
  DEAL_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'no deal has this id' },
  PIPELINE_NOT_FOUND: { code: 'NOT_FOUND', meaning: 'no pipeline has this id (reporting: no deal was opened in it)' },
  // GONE
  LEAD_ERASED: { code: 'GONE', meaning: "the lead was erased at the person's request or by retention" },
  // ALREADY_EXISTS
  PIPELINE_EXISTS: { code: 'ALREADY_EXISTS', meaning: 'a pipeline with this id exists' },
  RULE_SET_VERSION_EXISTS: { code: 'ALREADY_EXISTS', meaning: 'a rule set with this version exists' },
  // FAILED_PRECONDITION: the request is right, the state it finds does not allow it.
  LEAD_NOT_QUALIFIED: { code: 'FAILED_PRECONDITION', meaning: 'a deal opens only for a lead qualification qualified' },
  DEAL_CLOSED: { code: 'FAILED_PRECONDITION', meaning: 'the deal is won or lost; only an open deal changes' },
  DEAL_ALREADY_OPEN: { code: 'FAILED_PRECONDITION', meaning: 'the deal is open; only a won or lost deal reopens' },
  DEAL_ALREADY_IN_STAGE: { code: 'FAILED_PRECONDITION', meaning: 'the deal is already in that stage' },
  DEAL_LEAD_ERASED: { code: 'FAILED_PRECONDITION', meaning: "the deal's lead was erased: it takes no new activity" },
  ACTIVITY_LIMIT_REACHED: { code: 'FAILED_PRECONDITION', meaning: "the deal's activity budget (count or bytes) is full" },
  STAGE_IN_USE: { code: 'FAILED_PRECONDITION', meaning: 'open deals are in a stage the change removes' },
  RULE_SET_NOT_IN_FORCE: { code: 'FAILED_PRECONDITION', meaning: 'the rule set version the change expects is no longer in force' },
  // ABORTED: retry on fresh state.
  VERSION_MISMATCH: { code: 'ABORTED', meaning: 'the expected version is not the stored one' },
  CONCURRENT_UPDATE: { code: 'ABORTED', meaning: 'another writer changed the same record meanwhile' },
  // UNAUTHENTICATED, PERMISSION_DENIED
  CREDENTIAL_MISSING: { code: 'UNAUTHENTICATED', meaning: 'no API key or bearer token was sent' },
  CREDENTIAL_INVALID: { code: 'UNAUTHENTICATED', meaning: 'the API key or bearer token is not known' },
  API_KEY_NOT_ALLOWED: { code: 'PERMISSION_DENIED', meaning: 'a known API key of another kind (a public intake key reading leads)' },
  SCOPE_NOT_GRANTED: { code: 'PERMISSION_DENIED', meaning: "the caller's scopes do not include the method's" },
  // RESOURCE_EXHAUSTED
  RATE_LIMITED: { code: 'RESOURCE_EXHAUSTED', meaning: 'too many requests in the window; retry after Retry-After' },
  // UNAVAILABLE: retry shortly.
  STORE_UNAVAILABLE: { code: 'UNAVAILABLE', meaning: "the service's database cannot be reached" },
  PEER_UNAVAILABLE: {
    code: 'UNAVAILABLE',
    meaning: "a service this one asks could not answer in time, or refused this service's credentials",
  },
  // UNPROCESSABLE_CONTENT
  IDEMPOTENCY_KEY_REUSED: { code: 'UNPROCESSABLE_CONTENT', meaning: 'the Idempotency-Key was used with another body' },
  // INTERNAL: a fault of the service, never of the request; logged, and the caller is told nothing more.
  INTERNAL_ERROR: { code: 'INTERNAL', meaning: 'an unexpected failure' },
  DEFAULT_PIPELINE_MISSING: { code: 'INTERNAL', meaning: 'no default pipeline is stored, though it is seeded at start-up' },
  DEAL_PIPELINE_MISSING: { code: 'INTERNAL', meaning: 'a deal names a pipeline that is not stored (pipelines are never deleted)' },
  DEAL_VANISHED: { code: 'INTERNAL', meaning: 'a deal just written or found cannot be read back' },
  IDENTITY_LEAD_MISSING: { code: 'INTERNAL', meaning: 'a contact identity names a lead that does not exist' },
} as const satisfies Record<string, { code: DomainErrorCode; meaning: string }>;

export type ErrorReason = keyof typeof errorReasons;

// The reasons raised under one code: what an error class of that code accepts.
export type ReasonOf<C extends DomainErrorCode> = {
  [R in ErrorReason]: (typeof errorReasons)[R]['code'] extends C ? R : never;
}[ErrorReason];

export function codeOfReason(reason: ErrorReason): DomainErrorCode {
  return errorReasons[reason].code;
}

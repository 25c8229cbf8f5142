import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DependencyUnavailableError, ErasedError, isDomainError, RateLimitedError, ValidationError, type ErrorReason } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { isStoreUnavailableError, storeUnavailable } from '@crm/persistence';
import { httpStatusOf } from '../errors/error-status';
import { sendProblem } from './problem';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

// The one place where errors become HTTP answers: domain errors by their code, body parser errors by their
// status, an unreachable database a 503 to retry, anything else (an invariant found broken included) a logged 500
// that reveals nothing but its reason. Every answer names its reason.
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown: unknown, req, res, next) => {
    if (res.headersSent) return next(thrown);
    const err = isStoreUnavailableError(thrown) ? storeUnavailable() : thrown;
    if (isDomainError(err) && err.code !== 'INTERNAL') {
      const { status, title } = httpStatusOf(err.code);
      if (err instanceof RateLimitedError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      if (err instanceof DependencyUnavailableError) res.setHeader('Retry-After', '1');
      return sendProblem(res, {
        title,
        status,
        reason: err.reason,
        detail: err.message,
        ...(err instanceof ValidationError ? { errors: err.violations } : {}),
        ...(err instanceof ErasedError ? { erasedAt: err.erasedAt.toISOString() } : {}),
      });
    }
    const parserError = err as BodyParserError;
    if (parserError.expose && typeof parserError.status === 'number' && parserError.status < 500) {
      const detail =
        parserError.type === 'entity.too.large'
          ? 'The request body is larger than allowed'
          : parserError.type === 'entity.parse.failed'
            ? 'The request body is not valid JSON'
            : parserError.message;
      // Other exposed http-errors come from serving files (serve-static, sendFile): a missing one is a 404 like any.
      if (!isBodyParserRefusal(parserError)) {
        const title = parserError.status === 404 ? 'Not found' : 'Bad request';
        const reason: ErrorReason = parserError.status === 404 ? 'ROUTE_NOT_FOUND' : 'REQUEST_INVALID';
        return sendProblem(res, { title, status: parserError.status, reason, detail: parserError.message });
      }
      return sendProblem(res, { title: 'Bad request body', status: parserError.status, reason: bodyRefusalReason(parserError), detail });
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error in HTTP handler');
    const reason = isDomainError(err) ? err.reason : 'INTERNAL_ERROR';
    return sendProblem(res, { title: 'Internal error', status: 500, reason });
  };
}

// body-parser's error types beside its entity.* ones.
const bodyParserTypes = new Set([
  'parameters.too.many',
  'encoding.unsupported',
  'charset.unsupported',
  'request.aborted',
  'request.size.invalid',
  'stream.encoding.set',
  'stream.not.readable',
]);

function isBodyParserRefusal({ type = '' }: BodyParserError): boolean {
  return type.startsWith('entity.') || bodyParserTypes.has(type);
}

// A body-parser refusal's reason, by its error type; the answer keeps body-parser's status.
function bodyRefusalReason(parserError: BodyParserError): ErrorReason {
  switch (parserError.type) {
    case 'entity.too.large':
    case 'parameters.too.many':
      return 'REQUEST_BODY_TOO_LARGE';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'MEDIA_TYPE_UNSUPPORTED';
    default:
      return 'REQUEST_BODY_MALFORMED';
  }
}

export const notFoundHandler: RequestHandler = (req, res) =>
  sendProblem(res, { title: 'Not found', status: 404, reason: 'ROUTE_NOT_FOUND', detail: `No route for ${req.method} ${req.path}` });

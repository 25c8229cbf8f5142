import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DependencyUnavailableError, DomainError, ErasedError, RateLimitedError, ValidationError } from '@crm/errors';
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
// status, an unreachable database a 503 to retry, anything else a logged 500 that reveals nothing.
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown: unknown, req, res, next) => {
    if (res.headersSent) return next(thrown);
    const err = isStoreUnavailableError(thrown) ? storeUnavailable() : thrown;
    if (err instanceof DomainError) {
      const { status, title } = httpStatusOf(err.code);
      if (err instanceof RateLimitedError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      if (err instanceof DependencyUnavailableError) res.setHeader('Retry-After', '1');
      return sendProblem(res, {
        title,
        status,
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
      return sendProblem(res, { title: 'Bad request body', status: parserError.status, detail });
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error in HTTP handler');
    return sendProblem(res, { title: 'Internal error', status: 500 });
  };
}

export const notFoundHandler: RequestHandler = (req, res) =>
  sendProblem(res, { title: 'Not found', status: 404, detail: `No route for ${req.method} ${req.path}` });

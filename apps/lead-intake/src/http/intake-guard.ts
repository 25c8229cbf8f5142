import cors from 'cors';
import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { PermissionDeniedError, RateLimitedError, UnauthenticatedError } from '@crm/errors';
import type { ApiKeys, Caller } from '@crm/access';

// CORS for the configured origins only; the preflight is answered before any key is asked for.
export function intakeCors(origins: string[]): RequestHandler {
  return cors({
    origin: origins.length > 0 ? origins : false,
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ['Content-Type', 'X-Api-Key', 'Idempotency-Key'],
    exposedHeaders: ['Location', 'Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  });
}

// The caller's key from the X-Api-Key header or, for a plain HTML form that cannot set headers, its `apiKey`
// field (removed from the body before validation). A key in a public page is public whichever way it travels:
// per-key rate limits and the redirect allow-list are what bound its misuse.
//
// `allowed` are the keys that may do this; a valid key of the `others` is answered 403 (known, not allowed),
// any other key 401.
export function authenticate(allowed: ApiKeys, others: ApiKeys, action: string): RequestHandler {
  return (req, res, next) => {
    const body = req.body as Record<string, unknown> | undefined;
    let presented = req.get('x-api-key');
    if (presented === undefined && req.is('application/x-www-form-urlencoded') && typeof body?.apiKey === 'string') presented = body.apiKey;
    if (body && typeof body === 'object' && req.is('application/x-www-form-urlencoded')) delete body.apiKey;
    try {
      res.locals.caller = allowed.identify(presented);
    } catch (err) {
      if (err instanceof UnauthenticatedError && presented && others.knows(presented))
        throw new PermissionDeniedError(`this API key cannot ${action}`);
      throw err;
    }
    next();
  };
}

// Requests per API key per window. In memory: each copy of the service counts its own requests, so N copies
// allow up to N times the limit.
export function rateLimitPerKey({ points, windowSeconds }: { points: number; windowSeconds: number }): RequestHandler {
  const limiter = new RateLimiterMemory({ points, duration: windowSeconds });
  return async (_req, res, next) => {
    const caller = res.locals.caller as Caller;
    try {
      await limiter.consume(caller.keyId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new RateLimitedError(
        `at most ${points} requests per ${windowSeconds} s for this API key`,
        Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
      );
    }
    next();
  };
}

import cors from 'cors';
import type { RequestHandler } from 'express';
import { createHash } from 'node:crypto';
import { PermissionDeniedError, UnauthenticatedError } from '@crm/errors';
import type { ApiKeys, Caller } from '@crm/access';
import type { Limit, RequestLimits } from '../application/request-limits';
import { clientBucket } from '../domain/rate-window';

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
        throw new PermissionDeniedError('API_KEY_NOT_ALLOWED', `this API key cannot ${action}`);
      throw err;
    }
    next();
  };
}

// Limits shared by every copy (RequestLimits keeps its counters in lead-intake's MongoDB). A capture counts against
// its client address on its key, then against the key's ceiling: a public key is shared by every visitor of a
// site, so the address limit stops one sender while the ceiling, set for campaign bursts, bounds the key. The
// address comes from the socket, or from X-Forwarded-For as set by a trusted proxy (INTAKE_TRUSTED_PROXIES). It is
// kept only as a digest, in counters that expire after two windows.
export function limitCaptures(limits: RequestLimits, perAddress: Limit, perKey: Limit): RequestHandler {
  return async (req, res, next) => {
    const caller = res.locals.caller as Caller;
    const address = clientBucket(req.ip ?? req.socket.remoteAddress ?? '');
    await limits.admit([
      { limit: perAddress, key: digest(`${caller.keyId}|${address}`), subject: 'this client address' },
      { limit: perKey, key: caller.keyId, subject: 'this API key' },
    ]);
    next();
  };
}

export function limitPerKey(limits: RequestLimits, perKey: Limit): RequestHandler {
  return async (_req, res, next) => {
    await limits.admit([{ limit: perKey, key: (res.locals.caller as Caller).keyId, subject: 'this API key' }]);
    next();
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);

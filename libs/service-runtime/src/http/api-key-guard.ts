import type { RequestHandler } from 'express';
import { bearerTokenOf, type ApiKeys } from '@crm/access';

// Lets a request through only with a known key in its X-Api-Key header (401 otherwise); the caller is kept in
// res.locals.caller for the handlers.
export function requireApiKey(keys: ApiKeys): RequestHandler {
  return (req, res, next) => {
    res.locals.caller = keys.identify(req.get('x-api-key'));
    next();
  };
}

// Lets a request through only with `Authorization: Bearer <token>` for a known token, as Prometheus sends it.
export function requireBearerToken(tokens: ApiKeys): RequestHandler {
  return (req, res, next) => {
    res.locals.caller = tokens.identify(bearerTokenOf(req.get('authorization')));
    next();
  };
}

import { ApiKeys } from './api-keys';
import type { NamedSecret } from './named-secrets.schema';

// The token of an "Authorization: Bearer <token>" value (HTTP header or gRPC metadata); undefined for anything else.
export function bearerTokenOf(authorization: unknown): string | undefined {
  return typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
}

// Callers known by the bearer tokens they present; `where` names where the token is expected, for the refusal.
export function bearerTokens(tokens: NamedSecret[], where: string): ApiKeys {
  return new ApiKeys(tokens, { missing: `${where} is required`, invalid: 'the bearer token is not valid' });
}

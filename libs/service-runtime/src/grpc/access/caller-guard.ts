import type { ServerUnaryCall, ServiceDefinition, UntypedServiceImplementation, handleUnaryCall } from '@grpc/grpc-js';
import { bearerTokenOf, bearerTokens, type ApiKeys, type NamedSecret, type Scope, type ScopeGrants } from '@crm/access';
import { PermissionDeniedError, ValidationError } from '@crm/errors';
import type { Logger } from '@crm/logging';
import { toServiceError } from '../unary';

// The scope each method of a service needs, by its implementation name ("getDeal"). Every method must be named:
// a method left out would be open or closed by accident.
export type MethodScopes = Record<string, Scope>;

export interface CallerAccess {
  callers: ApiKeys;
  grants: ScopeGrants;
}

const callers = new WeakMap<object, string>();

// The authenticated caller of a call that went through the guard.
export function callerOf(call: ServerUnaryCall<unknown, unknown>): string {
  const caller = callers.get(call);
  if (caller === undefined) throw new Error(`no authenticated caller on ${call.getPath()}: is the method behind the caller guard?`);
  return caller;
}

// Who a change is recorded as made by: the authenticated caller, and the person it acted for when the request
// names one ("ana via crm-console"). The person's name comes from the caller, the caller's name from its token.
export function actorOf(call: ServerUnaryCall<unknown, unknown>, onBehalfOf = ''): string {
  const caller = callerOf(call);
  const person = onBehalfOf.trim();
  if (person.length > maxPersonLength) {
    throw new ValidationError('REQUEST_INVALID', [
      { field: 'actor', rule: 'max_length', message: `must be at most ${maxPersonLength} characters` },
    ]);
  }
  return person ? `${person} via ${caller}` : caller;
}

const maxPersonLength = 200;

// The callers of GRPC_CLIENTS, known by their bearer tokens.
export function callerTokens(clients: NamedSecret[]): ApiKeys {
  return bearerTokens(clients, 'an "authorization: Bearer <token>" metadata entry');
}

// Wraps every unary method so that it runs only for a caller whose bearer token is known (UNAUTHENTICATED
// otherwise) and whose scopes include the method's (PERMISSION_DENIED otherwise). Tokens are never logged.
export function guardingCallers(
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  scopes: MethodScopes,
  access: CallerAccess,
  logger: Logger,
): UntypedServiceImplementation {
  const guarded: UntypedServiceImplementation = {};
  const unknown = Object.keys(scopes).filter((name) => !Object.hasOwn(definition, name));
  if (unknown.length > 0) throw new Error(`scopes name no method of the service: ${unknown.join(', ')}`);
  for (const [name, method] of Object.entries(definition)) {
    const needed = scopes[name];
    if (needed === undefined) throw new Error(`${method.path} names no scope: every method must say which it needs`);
    // Every method here is unary; a streaming one would need a guard of its own.
    if (method.requestStream || method.responseStream)
      throw new Error(`${method.path} streams: the caller guard serves unary methods only`);
    const handler = implementation[name] as handleUnaryCall<unknown, unknown> | undefined;
    if (!handler) continue;
    guarded[name] = ((call, callback) => {
      try {
        const caller = access.callers.identify(bearerTokenOf(call.metadata.get('authorization')[0])).name;
        if (!access.grants.allows(caller, needed)) {
          throw new PermissionDeniedError('SCOPE_NOT_GRANTED', `${caller} may not call ${method.path}: it needs the "${needed}" scope`);
        }
        callers.set(call, caller);
      } catch (err) {
        callback(toServiceError(err, logger, method.path));
        return;
      }
      handler(call, callback);
    }) satisfies handleUnaryCall<unknown, unknown>;
  }
  return guarded;
}

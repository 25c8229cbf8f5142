import { isValidTimestamp, timestampOutOfRange } from '@crm/contracts';
import { type ServiceDefinition, type UntypedServiceImplementation, type handleUnaryCall } from '@grpc/grpc-js';
import { ValidationError } from '@crm/errors';
import { refusal } from './unary';

// grpc-js answers INTERNAL when a request's bytes do not decode (truncated, a varint past 64 bits, a wire type of
// 6 or 7...), which blames the server for the caller's mistake. Here a failed decode yields a marker instead, which
// the unary handler answers with INVALID_ARGUMENT before the service's own code sees it. So does a Timestamp that
// decodes to an Invalid Date (seconds beyond what a Date holds): no handler could use it, and some would fail on it.
const undecodable = Symbol('undecodable request');

// The path of the first Invalid Date within a decoded request, if any.
function invalidDateIn(value: unknown, path: string): string | undefined {
  if (value instanceof Date) return isValidTimestamp(value) ? undefined : path;
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value) || value instanceof Uint8Array) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = invalidDateIn(child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

function decoded(deserialize: (bytes: Buffer) => unknown, bytes: Buffer): unknown {
  let request: unknown;
  try {
    request = deserialize(bytes);
  } catch (err) {
    return { [undecodable]: (err as Error).message } satisfies UndecodableRequest;
  }
  const invalidDate = invalidDateIn(request, '');
  if (!invalidDate) return request;
  // The bytes decode: the request is well formed but holds a value out of range, named by its field.
  return { [undecodable]: '', refused: timestampOutOfRange(invalidDate) } satisfies UndecodableRequest;
}

interface UndecodableRequest {
  [undecodable]: string;
  // A refusal more precise than "undecodable", for a request that decodes.
  refused?: ValidationError;
}

function isUndecodable(request: unknown): request is UndecodableRequest {
  return typeof request === 'object' && request !== null && undecodable in request;
}

export function refusingUndecodableRequests(
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
): { definition: ServiceDefinition; implementation: UntypedServiceImplementation } {
  const tolerant: Record<string, ServiceDefinition[string]> = {};
  const guarded: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const handler = implementation[name];
    // Only unary methods are served here; a streaming one keeps grpc-js's own behaviour.
    if (method.requestStream || method.responseStream || !handler) {
      tolerant[name] = method;
      if (handler) guarded[name] = handler;
      continue;
    }
    tolerant[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => decoded(method.requestDeserialize, bytes),
    };
    const unary = handler as handleUnaryCall<unknown, unknown>;
    guarded[name] = ((call, callback) => {
      if (isUndecodable(call.request)) {
        const message = `request is not a valid ${method.path} message: ${call.request[undecodable]}`;
        callback(refusal(call.request.refused ?? new ValidationError('REQUEST_UNDECODABLE', [], message)));
        return;
      }
      unary(call, callback);
    }) satisfies handleUnaryCall<unknown, unknown>;
  }
  return { definition: tolerant as ServiceDefinition, implementation: guarded };
}

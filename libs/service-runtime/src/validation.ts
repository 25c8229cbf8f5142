import type { z } from 'zod';
import { ValidationError } from '@crm/errors';

// Parses input at an edge (HTTP body, query, gRPC request) and turns every zod issue into a named field violation.
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    'REQUEST_INVALID',
    result.error.issues.map((issue) => {
      const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const path = issue.path.map(String).join('.');
      return {
        field: unknownKeys.length > 0 ? unknownKeys.map((k) => (path ? `${path}.${k}` : k)).join(', ') : path || '(body)',
        rule: issue.code,
        message: issue.message,
      };
    }),
  );
}

import { z } from 'zod';

// Variables that hold a secret (a key, a token, a URL with a password). Each may instead be given as `<NAME>_FILE`,
// the path of a file holding the value, as container platforms mount secrets; its value is never quoted in an error.
export const secretVariables = z.registry<{ secret: true }>();

export function secret<S extends z.ZodType>(schema: S): S {
  secretVariables.add(schema, { secret: true });
  return schema;
}

export function isSecret(schema: unknown): boolean {
  return schema instanceof z.ZodType && secretVariables.has(schema);
}

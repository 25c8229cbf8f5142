import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isSecret } from './secret';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Parses the environment once at start-up; every bad variable is named in one error. A secret variable may come
// from the file its `_FILE` form names; a secret's value is never quoted.
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const secrets = secretNames(schema);
  const { values, problems } = withSecretFiles(env, secrets);
  const result = schema.safeParse(values);
  if (result.success && problems.length === 0) return result.data;
  for (const issue of result.error?.issues ?? []) {
    const variable = issue.path.join('.') || '(environment)';
    const name = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    const value = name === undefined || secrets.has(name) ? undefined : values[name];
    problems.push(`${variable}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`);
  }
  throw new ConfigError(problems);
}

function secretNames(schema: z.ZodType): Set<string> {
  if (!(schema instanceof z.ZodObject)) return new Set();
  return new Set(Object.entries(schema.shape as Record<string, unknown>).flatMap(([name, field]) => (isSecret(field) ? [name] : [])));
}

function withSecretFiles(env: NodeJS.ProcessEnv, secrets: Set<string>): { values: NodeJS.ProcessEnv; problems: string[] } {
  const values = { ...env };
  const problems: string[] = [];
  for (const name of secrets) {
    const path = env[`${name}_FILE`];
    if (path === undefined || path === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`${name}_FILE: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      // A file written by `echo` or a secret store ends with a newline that is not part of the value.
      values[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      problems.push(`${name}_FILE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  return { values, problems };
}

import { z } from 'zod';

// What a caller may do. `read`: Get, List and Export calls; `write`: changes to leads, decisions, deals and
// activities; `admin`: rule sets and pipelines. Scopes do not imply one another: a caller gets the ones it is given.
export const scopes = ['read', 'write', 'admin'] as const;
export type Scope = (typeof scopes)[number];

// A caller named in no grant gets this.
export const defaultScopes: readonly Scope[] = ['read'];

export class ScopeGrants {
  constructor(private readonly grants: ReadonlyMap<string, readonly Scope[]>) {}

  of(caller: string): readonly Scope[] {
    return this.grants.get(caller) ?? defaultScopes;
  }

  allows(caller: string, needed: Scope): boolean {
    return this.of(caller).includes(needed);
  }
}

const isScope = (value: string): value is Scope => (scopes as readonly string[]).includes(value);

// "crm-console=read|write,ops=read|write|admin": the scopes of each caller.
export const scopeGrants = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const grants = new Map<string, Scope[]>();
    for (const entry of raw
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const [name, list = ''] = entry.split('=', 2).map((part) => part.trim());
      const granted = list.split('|').map((s) => s.trim());
      const unknown = granted.filter((s) => !isScope(s));
      if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name) || !entry.includes('=') || unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `each entry must be name=scope|scope with scopes among ${scopes.join(', ')}; "${entry}" is not`,
        });
        return z.NEVER;
      }
      grants.set(name, [...new Set(granted.filter(isScope))]);
    }
    return new ScopeGrants(grants);
  });

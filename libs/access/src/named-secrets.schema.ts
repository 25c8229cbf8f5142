import { z } from 'zod';

export interface NamedSecret {
  name: string;
  key: string;
}

const namePattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

// "web-form=k1,facebook=k2,web-form=k1-next": named keys or tokens; a name may hold several while rotating. `role`
// says what the name stands for (an intake channel, a client) in the error message, which never quotes a key.
export const namedSecrets = (role: string) =>
  z
    .string()
    .default('')
    .transform((raw, ctx): NamedSecret[] => {
      const secrets: NamedSecret[] = [];
      for (const pair of raw
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const match = /^([^=]*)=(\S{8,256})$/.exec(pair);
        if (!match || !namePattern.test(match[1])) {
          ctx.addIssue({
            code: 'custom',
            message: `each entry must be ${role}=key (${role}: lower-case letters, digits, "-" or "_"; key: 8 to 256 characters without spaces); "${quotedName(pair)}=..." is not`,
          });
          return z.NEVER;
        }
        secrets.push({ name: match[1], key: match[2] });
      }
      return secrets;
    });

// The part before "=", when it looks like a name; never any of the key.
function quotedName(pair: string): string {
  const name = pair.includes('=') ? pair.slice(0, pair.indexOf('=')) : '';
  return namePattern.test(name) ? name : '(bad name)';
}

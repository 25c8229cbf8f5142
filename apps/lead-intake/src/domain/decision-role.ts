import { decisionRoles, type DecisionRole } from './lead';

// decision_maker is how the first role was spelled here before every service shared one spelling: leads stored
// then, and the bodies their Idempotency-Keys were hashed over, still say it.
const legacySpelling: Record<string, DecisionRole> = { decision_maker: 'decision-maker' };

export function decisionRoleOf(stored: string | undefined): DecisionRole | '' {
  if (!stored) return '';
  if ((decisionRoles as readonly string[]).includes(stored)) return stored as DecisionRole;
  return legacySpelling[stored] ?? '';
}

// The role as a request of that time spelled it, or undefined when it was spelled as it is now.
export function legacySpellingOf(role: DecisionRole | ''): string | undefined {
  return Object.entries(legacySpelling).find(([, current]) => current === role)?.[0];
}

// Prints, as JSON, every variable each service's configuration schema reads: its default as the environment would
// spell it ("" when none), and whether it is a secret. `npm run k8s:check` compares the manifests with it.
import type { z } from 'zod';
import { isSecret } from '@crm/config';
import { dealsConfigSchema } from '../../apps/deals/src/config';
import { leadIntakeConfigSchema } from '../../apps/lead-intake/src/config';
import { qualificationConfigSchema } from '../../apps/qualification/src/config';
import { reportingConfigSchema } from '../../apps/reporting/src/config';

const schemas: Record<string, z.ZodObject> = {
  'lead-intake': leadIntakeConfigSchema,
  qualification: qualificationConfigSchema,
  deals: dealsConfigSchema,
  reporting: reportingConfigSchema,
};

// The default a variable's schema applies when the variable is unset, before any transform.
function defaultOf(schema: unknown): string {
  const def = (schema as { def?: { type?: string; defaultValue?: unknown; in?: unknown; innerType?: unknown } }).def;
  if (!def) return '';
  if (def.type === 'default') return String(def.defaultValue);
  if (def.type === 'pipe') return defaultOf(def.in);
  if (def.innerType) return defaultOf(def.innerType);
  return '';
}

const variables = Object.fromEntries(
  Object.entries(schemas).map(([service, schema]) => [
    service,
    Object.fromEntries(Object.entries(schema.shape).map(([name, field]) => [name, { default: defaultOf(field), secret: isSecret(field) }])),
  ]),
);
process.stdout.write(`${JSON.stringify(variables, null, 2)}\n`);

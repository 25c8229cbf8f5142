// Runs a TypeScript command-line entry of the repository: bundles it with esbuild (workspace libraries compiled in,
// packages from node_modules) under dist/tools and runs it with the remaining arguments.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}
// Inside the repository, so the bundle resolves packages from its node_modules.
const outfile = join(root, 'dist/tools', `${basename(entry, '.ts')}.cjs`);
await build({
  entryPoints: [resolve(root, entry)],
  outfile,
  tsconfig: join(root, 'tsconfig.base.json'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  plugins: [
    {
      name: 'external-packages',
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@crm/') ? undefined : { path: a.path, external: true }));
      },
    },
  ],
  logLevel: 'warning',
});
process.argv = [process.argv[0], outfile, ...args];
createRequire(import.meta.url)(outfile);

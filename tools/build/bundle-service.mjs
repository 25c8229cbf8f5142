// Bundles one service into dist/apps/<name>/main.js with esbuild: the workspace libraries (@crm/*) are compiled in,
// third-party packages stay external and load from node_modules.
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const name = process.argv[2];
if (!name) {
  console.error('usage: bundle-service.mjs <app-name>');
  process.exit(2);
}

const externalPackages = {
  name: 'external-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@crm/') ? undefined : { path: args.path, external: true }));
  },
};

await build({
  entryPoints: [join(root, 'apps', name, 'src/main.ts')],
  outfile: join(root, 'dist/apps', name, 'main.js'),
  tsconfig: join(root, 'apps', name, 'tsconfig.json'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  plugins: [externalPackages],
  logLevel: 'warning',
});

// Prints the manifests of an overlay (deploy/kubernetes/overlays/<name>), rendered by kustomize: kubectl's built-in
// one, else a kustomize binary. Usage: node tools/k8s/render.mjs dev|prod
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const has = (command) => spawnSync(command, ['version', '--client'], { stdio: 'ignore' }).error === undefined;

export function render(overlay) {
  const dir = join(root, 'deploy/kubernetes/overlays', overlay);
  if (!existsSync(join(dir, 'kustomization.yaml'))) throw new Error(`no overlay "${overlay}" (deploy/kubernetes/overlays/${overlay})`);
  if (has('kubectl')) return execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (spawnSync('kustomize', ['version'], { stdio: 'ignore' }).error === undefined)
    return execFileSync('kustomize', ['build', dir], { encoding: 'utf8' });
  throw new Error('rendering needs kubectl or kustomize (go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0)');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const overlay = process.argv[2];
  if (!overlay) {
    console.error('usage: npm run k8s:render -- dev|prod');
    process.exit(2);
  }
  process.stdout.write(render(overlay));
}

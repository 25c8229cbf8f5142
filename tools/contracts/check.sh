#!/usr/bin/env bash
# Fails when the generated contracts differ from proto/, when buf lint fails, or when proto/ breaks main's contract.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out=libs/contracts/src/generated

npx buf lint proto
bash tools/contracts/generate.sh
if [ -n "$(git status --porcelain -- "$out")" ]; then
  echo "contracts:check: generated code is out of date with proto/; run 'npm run contracts:generate' and commit:" >&2
  git status --porcelain -- "$out" >&2
  exit 1
fi
if git rev-parse --verify --quiet main >/dev/null; then
  npx buf breaking proto --against '.git#branch=main,subdir=proto'
else
  echo "contracts:check: no main branch here; breaking-change check skipped"
fi
echo "contracts:check: OK"

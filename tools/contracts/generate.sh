#!/usr/bin/env bash
# Generates the TypeScript contracts (ts-proto via buf) and the descriptor set used by gRPC server reflection.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out=libs/contracts/src/generated
rm -rf "$out"
npx buf generate proto --template proto/buf.gen.yaml --exclude-path proto/grpc
npx buf build proto -o "$out/descriptor-set.binpb"
node tools/contracts/embed-descriptor-set.mjs "$out/descriptor-set.binpb" "$out/descriptor-set.ts"
rm "$out/descriptor-set.binpb"

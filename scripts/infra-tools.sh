#!/usr/bin/env bash
# Installs the Node.js tools infra-check uses (infra-check/tools/package.json, versions locked in
# package-lock.json): @cdktf/hcl2json, HashiCorp's HCL parser compiled to WebAssembly, and
# @cdktf/provider-aws, generated from the schema of the AWS provider version that infra/ pins.
# npm keeps the packages in its cache (~/.npm), so after the first run no network is needed.
# Idempotent: does nothing when node_modules already matches the lock file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../infra-check/tools"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "infra-tools: Node.js and npm are needed (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
stamp=node_modules/.realty-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"

#!/usr/bin/env bash
# Runs Vector with vector-local-test.yaml, its environment prepared like the
# agents' (credentials from the AWS profile, the writer role, the bucket, the
# region): see scripts/vector_local.ts, or run with --help. Deno runs without
# write permission: the credentials reach Vector's environment only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v deno >/dev/null 2>&1; then
  echo "vector_local: deno is not installed; run scripts/setup.sh first" >&2
  exit 2
fi
exec deno run --quiet --allow-read --allow-env --allow-net --allow-sys --allow-run --config "$root/deno.json" \
  "$root/scripts/vector_local.ts" "$@"

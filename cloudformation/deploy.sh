#!/usr/bin/env bash
# Deploys or updates the multi-tenant-logging stacks (core, optional SQS and
# Lambda) in order, wiring each stack's outputs into the next. A thin wrapper:
# the logic is scripts/deploy.ts (Deno + the AWS SDK), so no AWS CLI is needed.
# Run with --help for the options. Honours AWS_ENDPOINT_URL(_<SERVICE>), AWS_REGION,
# AWS_PROFILE and the usual credential variables.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v deno >/dev/null 2>&1; then
  echo "deploy: deno is not installed; run scripts/setup.sh first" >&2
  exit 2
fi
exec deno run --quiet --allow-read --allow-write --allow-env --allow-net --allow-sys --config "$root/deno.json" \
  "$root/scripts/deploy.ts" "$@"

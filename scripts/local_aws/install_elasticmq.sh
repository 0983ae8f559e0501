#!/usr/bin/env bash
# Installs ElasticMQ (an SQS-compatible server, for `bench/worker_bench.ts --sqs elasticmq`) from
# Maven Central: the jars of elasticmq.pom.xml into ELASTICMQ_HOME (default
# ~/.cache/multi-tenant-logging/elasticmq). Needs Java 17+ and Maven. Benches only: no test needs it.
# Safe to run again: does nothing when the jars are there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
home="${ELASTICMQ_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/multi-tenant-logging/elasticmq}"
version="$(sed -n 's:.*<version>\(1\.[0-9.]*\)</version>.*:\1:p' "$here/elasticmq.pom.xml")"
if ls "$home"/elasticmq-server_2.13-"$version".jar >/dev/null 2>&1; then
  echo "elasticmq: $version already in $home" >&2
  exit 0
fi
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "elasticmq: needs $tool (Java 17+ and Maven)" >&2; exit 1; }
done
echo "elasticmq: fetching $version and its dependencies from Maven Central into $home" >&2
mkdir -p "$home"
rm -f "$home"/*.jar
if ! out="$(mvn -q -B -Dstyle.color=never -f "$here/elasticmq.pom.xml" dependency:copy-dependencies \
  -DoutputDirectory="$home" -DincludeScope=runtime 2>&1)"; then
  printf '%s\n' "$out" >&2
  exit 1
fi
ls "$home"/elasticmq-server_2.13-"$version".jar >/dev/null

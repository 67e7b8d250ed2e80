#!/usr/bin/env bash
# Measures what an idempotency key adds to a warm invocation: in memory, and on the DynamoDB store against a local
# DynamoDB engine (moto, started by the test on 127.0.0.1). Results go into BENCHMARKS.md by hand.
# Usage: bench/records-overhead.sh [rounds]   — prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -B -q test -Dtest=RecordsOverheadBench -Dbench=true -Dbench.rounds="${1:-3000}" \
  -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
cat function/target/bench/records-overhead.md

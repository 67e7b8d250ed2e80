#!/usr/bin/env bash
# Measures what the fault-tolerance wrappers add to a warm invocation (results in BENCHMARKS.md).
# Usage: bench/fault-tolerance-overhead.sh [rounds]   — prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -B -q test -Dtest=FaultToleranceOverheadBench -Dbench=true -Dbench.rounds="${1:-20000}" \
  -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -m), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
cat function/target/bench/fault-tolerance-overhead.md

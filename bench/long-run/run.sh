#!/usr/bin/env bash
# The long run under faults: the packaged JVM function.zip, run the way Lambda's java21 runtime runs it (under the
# Runtime Interface Client, as bench/cold-start/run.sh does), serves --invocations events in one execution
# environment while local fakes of the verification API, Secrets Manager and the records store apply a fixed,
# seeded mix of faults (bench/long-run/plan.py). Three passes, each its own environment and its own events:
#   plain    without the records store;
#   records  with VERIFY_RECORDS_TABLE on a local DynamoDB engine (moto) behind an HTTP proxy that makes it slow,
#            unreachable, or answer writes with replies that do not tell whether they were made (a 500 after the
#            write was applied, a 200 with an empty or HTML body, applied or not); idempotency keys on a share of the
#            events; a daily budget (VERIFY_DAILY_BUDGET, sized by plan.daily_budget to run out near the end);
#   retry    the same with VERIFY_REPEAT_POSSIBLY_CHARGED=true (possibly charged requests are repeated): where an answer
#            after a possibly charged attempt (possibly_charged_attempts, billable) and the budget's refusal after
#            one (outcome_unknown) happen. An environment has one setting for its life, and the records pass keeps
#            the template's (false), under which no request is repeated once it may have been charged.
#
# Usage: bench/long-run/run.sh [--invocations N] [--seed S] [--no-build] [--only plain|records|retry]
#   --invocations N  invocations per pass (default 20000)
#   --seed S         the plan's seed (default 1130)
#   --no-build       reuse function/target/function.zip
#   --only P         run one pass
# Environment: JAVA_HOME (Maven's JDK; default Temurin 25 when present), BENCH_JAVA (the java that runs the
# function; default a JDK 21 if one is installed, else $JAVA_HOME/bin/java).
#
# Writes bench/results/long-run.md and prints it; raw data under target/long-run/. Exits non-zero when a promise is
# broken (bench/long-run/check.py: a double charge, more charged requests in a China day than the budget or than its
# counter counts, an answer after its deadline, an answer of the wrong shape, RSS growth after warm-up beyond the
# tolerance, a placeholder name or number in the function's log, ...), or when a corrupted copy of the raw data
# would not break them (bench/long-run/selftest.py).
# Everything listens on 127.0.0.1 only; every wait is bounded; every process started is stopped.
set -euo pipefail

INVOCATIONS=20000
SEED=1130
BUILD=1
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --invocations) INVOCATIONS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ "$INVOCATIONS" =~ ^[1-9][0-9]{2,6}$ ]] || { echo "--invocations must be 100..9999999" >&2; exit 2; }
[[ "$SEED" =~ ^[0-9]{1,9}$ ]] || { echo "--seed must be a number" >&2; exit 2; }
[[ "$ONLY" =~ ^(|plain|records|retry)$ ]] || { echo "--only must be plain, records or retry" >&2; exit 2; }

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
WORK="$ROOT/target/long-run"
RESULTS="$ROOT/bench/results/long-run.md"

# shellcheck source=../lib/java.sh
. "$ROOT/bench/lib/java.sh"
choose_bench_java
python3 -c 'import jsonschema' 2>/dev/null || { echo "python3 lacks jsonschema (installed with moto)" >&2; exit 2; }

# shellcheck source=../lib/processes.sh
. "$ROOT/bench/lib/processes.sh"
FUNCTION_PID_FILE="$WORK/jvm.pid"
FUNCTION_MARK='api.client.AWSLambda'
stop_started_processes_on_exit

export PYTHONDONTWRITEBYTECODE=1  # nothing written beside the sources, bench/cold-start/ included
mkdir -p "$WORK"
if [ "$BUILD" = 1 ]; then
  echo "building function/target/function.zip ..."
  "$ROOT/mvnw" -B -q package -DskipTests
fi
FUNCTION_ZIP="$ROOT/function/target/function.zip"
[ -f "$FUNCTION_ZIP" ] || { echo "missing $FUNCTION_ZIP (run without --no-build)" >&2; exit 1; }
echo "fetching the AWS Lambda Java Runtime Interface Client (bench/cold-start/ric/pom.xml) ..."
rm -rf "$WORK/ric"
"$ROOT/mvnw" -B -q -f "$ROOT/bench/cold-start/ric/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$WORK/ric"
RIC_CP="$(ls "$WORK"/ric/*.jar | paste -sd: -)"
rm -rf "$WORK/task"
python3 -m zipfile -e "$FUNCTION_ZIP" "$WORK/task"

# Lambda's java21 JVM command line for a 512 MB function (the reasons for each flag are in bench/cold-start/run.sh),
# plus a GC log for reading the memory figures.
JVM_FLAGS=(
  -XX:MaxRAM=512m -XX:MaxHeapSize=445645k -XX:+UseSerialGC -Xshare:auto
  -XX:+TieredCompilation -XX:TieredStopAtLevel=1
  --add-opens=java.base/java.io=ALL-UNNAMED -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac
  -Djava.net.preferIPv4Stack=true -XX:+ErrorFileToStderr
)
if [ "$JAVA_MAJOR" -ge 24 ]; then
  JVM_FLAGS+=(--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED)
fi
TOOL_OPTIONS="$(python3 "$ROOT/bench/lib/template_env.py" "$ROOT/template.yaml" jvm JAVA_TOOL_OPTIONS)"
HANDLER="io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"

# The function's settings for the run: shorter than the defaults where a default would make a 20,000-invocation
# run take hours (a slow answer costs one attempt timeout) or keep a fault from ever being met (a token cached for
# 5 minutes would never meet a throttling burst); the rules are the same. results.py's SETTINGS says why each value
# (bench/results/long-run.md shows it).
FUNCTION_ENV=(
  "JAVA_TOOL_OPTIONS=$TOOL_OPTIONS"
  VERIFY_UPSTREAM=live
  "VERIFY_API_BASE_URL={api}"
  VERIFY_TOKEN_SECRET_ID=long-run-token
  "AWS_ENDPOINT_URL_SECRETS_MANAGER={sm}"
  VERIFY_ATTEMPT_TIMEOUT=1s
  VERIFY_MIN_ATTEMPT_TIME=300ms
  VERIFY_CONNECT_TIMEOUT=500ms
  VERIFY_DEADLINE_MARGIN=500ms
  VERIFY_MAX_ATTEMPTS=3
  VERIFY_RETRY_BASE_DELAY=50ms
  VERIFY_RETRY_MAX_DELAY=400ms
  VERIFY_CIRCUIT_DELAY=1s
  VERIFY_TOKEN_CACHE_TTL=5s
  VERIFY_TOKEN_STALE_LIMIT=10s
  VERIFY_SECRET_TIMEOUT=1s
  VERIFY_RECORDS_TIMEOUT=500ms
  VERIFY_DAILY_BUDGET=0
  VERIFY_CALLER_DAILY_BUDGET=0
)

# The settings of the passes with the store, on top of FUNCTION_ENV: each pass its own table in the same engine (a
# day's budget counter must start at zero in each); {budget} is plan.daily_budget's for the pass.
STORE_ENV=("AWS_ENDPOINT_URL_DYNAMODB={store}" "VERIFY_DAILY_BUDGET={budget}")

run_pass() { # name [extra driver arguments]; PASS_ENV: the pass's own settings
  local name="$1"
  shift
  rm -rf "${WORK:?}/$name"
  mkdir -p "$WORK/$name"
  local -a fenv=()
  for kv in "${FUNCTION_ENV[@]}" "${PASS_ENV[@]}"; do fenv+=(--function-env "$kv"); done
  python3 "$HERE/driver.py" --pass-name "$name" --invocations "$INVOCATIONS" --seed "$SEED" \
    --task-root "$WORK/task" --work "$WORK/$name" "${fenv[@]}" "$@" --pid-file "$FUNCTION_PID_FILE" \
    -- "$BENCH_JAVA" "${JVM_FLAGS[@]}" "-Xlog:gc:file=$WORK/$name/gc.log:uptime" -classpath "$RIC_CP" \
       com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$HANDLER" &
  DRIVER_PID=$!
  local rc=0
  wait "$DRIVER_PID" || rc=$?
  DRIVER_PID=""
  rm -f "$FUNCTION_PID_FILE"
  [ "$rc" = 0 ] || { echo "FAILED: the $name pass (exit $rc); see $WORK/$name/jvm.log" >&2; exit 1; }
}

cut -d' ' -f1-3 /proc/loadavg > "$WORK/load-start"
date -u +%Y-%m-%dT%H:%M:%SZ > "$WORK/started"
create_table() { # name: the records table as template.yaml creates it, in the local engine
  python3 - "http://127.0.0.1:$DYNAMODB_PORT" "$1" <<'PY'
import sys, time, boto3
client = boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1",
                      aws_access_key_id="long-run", aws_secret_access_key="long-run")
for _ in range(120):
    try:
        client.list_tables()
        break
    except Exception:
        time.sleep(0.5)
else:
    sys.exit("the local DynamoDB engine did not answer within 60 s")
client.create_table(TableName=sys.argv[2], BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
PY
}

PASSES=()
PASS_ENV=()
if [ -z "$ONLY" ] || [ "$ONLY" = plain ]; then
  echo "pass 1: $INVOCATIONS invocations without the records store ..."
  run_pass plain
  PASSES+=(plain)
fi
if [ "$ONLY" != plain ]; then
  # moto's DynamoDB, one request at a time (the tests' engine, function/src/test/python/serial_moto_server.py); the
  # function reaches it through the driver's proxy.
  DYNAMODB_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  python3 "$ROOT/function/src/test/python/serial_moto_server.py" 127.0.0.1 "$DYNAMODB_PORT" > "$WORK/moto.log" 2>&1 &
  DYNAMODB_PID=$!
  if [ -z "$ONLY" ] || [ "$ONLY" = records ]; then
    echo "pass 2: $INVOCATIONS invocations with the records store (idempotency keys, daily budget) ..."
    create_table long-run-records
    PASS_ENV=("${STORE_ENV[@]}" VERIFY_RECORDS_TABLE=long-run-records)
    run_pass records --dynamodb-port "$DYNAMODB_PORT"
    PASSES+=(records)
  fi
  if [ -z "$ONLY" ] || [ "$ONLY" = retry ]; then
    echo "pass 3: $INVOCATIONS invocations with the records store and VERIFY_REPEAT_POSSIBLY_CHARGED=true ..."
    create_table long-run-retry
    PASS_ENV=("${STORE_ENV[@]}" VERIFY_RECORDS_TABLE=long-run-retry VERIFY_REPEAT_POSSIBLY_CHARGED=true)
    run_pass retry --dynamodb-port "$DYNAMODB_PORT"
    PASSES+=(retry)
  fi
  kill -TERM "$DYNAMODB_PID" 2>/dev/null || true
  DYNAMODB_PID=""
fi
cut -d' ' -f1-3 /proc/loadavg > "$WORK/load-end"

mkdir -p "$(dirname "$RESULTS")"
rc=0
python3 "$HERE/check.py" --work "$WORK" --passes "${PASSES[@]}" --java "$BENCH_JAVA" \
  --jvm-flags "${JVM_FLAGS[*]}" --tool-options="$TOOL_OPTIONS" --out "$RESULTS" || rc=$?
echo
cat "$RESULTS"
# The checks must be able to fail: each corruption of the raw data must break the promise it stands for.
python3 "$HERE/selftest.py" --work "$WORK" --passes "${PASSES[@]}" || rc=1
exit "$rc"

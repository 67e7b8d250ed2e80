#!/usr/bin/env bash
# Cold start and footprint of the packaged function.zip, run the way Lambda's java21 runtime runs it
# (the cold-start and footprint figures of BENCHMARKS.md), beside the same figures for a minimal Quarkus Lambda
# handler that only POSTs to the same fake API (the floor, bench/cold-start/floor).
#
# Usage: bench/cold-start/run.sh [--native] [--rounds N] [--warm N] [--lambda-cpu] [--no-build] [--spring-peer]
#                                [--also LABEL=ZIP]
#   --native     the native packages instead (./mvnw package -Dnative, runtime provided.al2023; needs GraalVM or
#                Mandrel's native-image): the function's and the floor's `bootstrap` started directly, as that OS-only runtime
#                starts it, against the same Runtime API and fakes; function and floor only (the other variants are
#                the JVM's). The floor is built natively too, so the ratios compare like with like. Writes
#                bench/results/cold-start-native.md.
#   --rounds N   cold starts per variant, alternating function / function without the template's
#                JAVA_TOOL_OPTIONS / function with idempotency keys / function with its request path not primed at
#                startup (the local paths only) / floor / floor with its own ahead-of-time cache (on Java 25+,
#                trained once before the rounds) (default 7; medians are reported)
#   --warm N     warm invocations after the first one, per cold start (default 1000)
#   --lambda-cpu Lambda's CPU instead of the machine's: the init unthrottled, every invocation capped at the CPU a
#                512 MB function gets (512/1769 of one vCPU), by a cgroup CFS quota applied at the first /next (needs
#                root and a cgroup cpu controller). Writes bench/results/cold-start-lambda-cpu.md.
#   --no-build   reuse function/target/function.zip and the floor's zip from an earlier run (of the same kind), and
#                the Spring Cloud Function peer's zip under --spring-peer
#   --spring-peer  also measure the Spring Cloud Function peer (bench/cold-start/spring-peer: the same verification
#                function as a Spring team would typically write it, built into its target/function.zip), once per
#                round (spring-peer-N), on the java21 runtime as the function is, with its own handler (the AWS
#                adapter's FunctionInvoker) and environment (no JAVA_TOOL_OPTIONS: the template's are the function's).
#                Its medians beside the function's and the floor's go to bench/results/cold-start-compare.md, as with
#                --also. JVM runtime only.
#   --also LABEL=ZIP  (repeatable) another build of the function to measure in the same rounds, in turn with the
#                function, with the function's settings: packaging variants compared on one machine state.
#                Their medians beside the function's and the floor's go to bench/results/cold-start-compare.md
#                (cold-start-compare-lambda-cpu.md under --lambda-cpu).
#                A zip with a `bootstrap` (e.g. function-jvm-aot.zip, ./mvnw package -Djvm-aot) is started as
#                provided.al2023 starts it: its bootstrap, with no arguments and the environment Lambda sets, so with
#                its own JVM and options, without the RIC class path, the java21 runtime's JVM flags or the
#                template's JAVA_TOOL_OPTIONS.
# Environment: JAVA_HOME (Maven's JDK; default Temurin 25 when present), BENCH_JAVA (the java that runs the JVM
# packages; default a JDK 21 if one is installed, as on Lambda's java21 runtime, else $JAVA_HOME/bin/java).
#
# Writes bench/results/cold-start.md (or cold-start-native.md) and prints it; raw figures and the functions' logs go
# to target/cold-start/raw/.
# Exits non-zero if any build fails or any invocation errors or answers without the expected result.
# Everything listens on 127.0.0.1 only; every loop and wait is bounded; every process started is stopped.
set -euo pipefail

ROUNDS=7
WARM=1000
BUILD=1
RUNTIME=jvm
LAMBDA_CPU=0
SPRING_PEER=0
ALSO=()
while [ $# -gt 0 ]; do
  case "$1" in
    --native) RUNTIME=native; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warm) WARM="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --lambda-cpu) LAMBDA_CPU=1; shift ;;
    --spring-peer) SPRING_PEER=1; shift ;;
    --also)
      [[ "${2:-}" =~ ^[a-z][a-z0-9-]*=.+$ ]] && [ -f "${2#*=}" ] || { echo "--also wants LABEL=ZIP (an existing zip)" >&2; exit 2; }
      ALSO+=("$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]?$ ]] || { echo "--rounds must be 1..99" >&2; exit 2; }
[[ "$WARM" =~ ^[0-9]{1,5}$ ]] || { echo "--warm must be 0..99999" >&2; exit 2; }
[ "$SPRING_PEER" = 0 ] || [ "$RUNTIME" = jvm ] || { echo "--spring-peer runs on the JVM runtime only, not with --native" >&2; exit 2; }

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
WORK="$ROOT/target/cold-start"
RESULTS="$ROOT/bench/results/cold-start.md"
[ "$RUNTIME" = jvm ] || RESULTS="$ROOT/bench/results/cold-start-native.md"
[ "$LAMBDA_CPU" = 0 ] || RESULTS="${RESULTS%.md}-lambda-cpu.md"
COMPARE_RESULTS="$ROOT/bench/results/cold-start-compare.md"
[ "$LAMBDA_CPU" = 0 ] || COMPARE_RESULTS="${COMPARE_RESULTS%.md}-lambda-cpu.md"

# shellcheck source=../lib/java.sh
. "$ROOT/bench/lib/java.sh"
default_java_home
# The native runtime runs bootstrap itself: only the JVM runtime needs a java to run the function.
if [ "$RUNTIME" = jvm ]; then
  choose_bench_java
fi

# --- cleanup: stop whatever this script started ---------------------------------------------------
# shellcheck source=../lib/processes.sh
. "$ROOT/bench/lib/processes.sh"
FUNCTION_PID_FILE="$WORK/function.pid"
# What the function process's command line holds, so the trap kills only a process this script started.
FUNCTION_MARK='api.client.AWSLambda'
[ "$RUNTIME" = jvm ] || FUNCTION_MARK="$WORK/task/"
stop_started_processes_on_exit

mkdir -p "$WORK"

# --- 1-3. build the function, the floor, fetch the Runtime Interface Client ---------------------------
MVN=("$ROOT/mvnw" -B -q)
BUILD_ARGS=(-DskipTests)
# The property -Dnative switches on in the function's pom (the floor's has no such profile); the local native-image,
# never a container build.
[ "$RUNTIME" = jvm ] || BUILD_ARGS+=(-Dquarkus.native.enabled=true -Dquarkus.native.container-build=false)
if [ "$BUILD" = 1 ]; then
  echo "building function/target/function.zip ($RUNTIME) ..."
  "${MVN[@]}" package "${BUILD_ARGS[@]}"
  echo "building the floor (bench/cold-start/floor, $RUNTIME) ..."
  "${MVN[@]}" -f "$HERE/floor/pom.xml" package "${BUILD_ARGS[@]}"
  if [ "$SPRING_PEER" = 1 ]; then
    echo "building the Spring Cloud Function peer (bench/cold-start/spring-peer) ..."
    "${MVN[@]}" -f "$HERE/spring-peer/pom.xml" package "${BUILD_ARGS[@]}"
  fi
fi
FUNCTION_ZIP="$ROOT/function/target/function.zip"
FLOOR_ZIP="$HERE/floor/target/function.zip"
SPRING_PEER_ZIP="$HERE/spring-peer/target/function.zip"
if [ "$SPRING_PEER" = 1 ] && [ ! -f "$SPRING_PEER_ZIP" ]; then
  echo "missing $SPRING_PEER_ZIP (run without --no-build)" >&2; exit 1
fi
for z in "$FUNCTION_ZIP" "$FLOOR_ZIP"; do
  [ -f "$z" ] || { echo "missing $z (run without --no-build)" >&2; exit 1; }
  # A native zip holds the bootstrap executable, a JVM zip does not: measure the kind asked for.
  if unzip -Z1 "$z" | grep -x bootstrap > /dev/null; then kind=native; else kind=jvm; fi
  [ "$kind" = "$RUNTIME" ] || { echo "$z is a $kind build, not $RUNTIME (run without --no-build)" >&2; exit 1; }
done

# --- the task roots: each zip unpacked as Lambda unpacks it into /var/task, file modes included --------
rm -rf "$WORK/task" "$WORK/raw"
mkdir -p "$WORK/task" "$WORK/raw"
unzip -q "$FUNCTION_ZIP" -d "$WORK/task/function"
unzip -q "$FLOOR_ZIP" -d "$WORK/task/floor"
[ "$SPRING_PEER" = 0 ] || unzip -q "$SPRING_PEER_ZIP" -d "$WORK/task/spring-peer"
# The --also builds that provided.al2023 would start through their own bootstrap (a JVM run, only under --native
# would every build have one).
declare -A OWN_BOOTSTRAP=()
for also in "${ALSO[@]}"; do
  case "${also%%=*}" in function|floor|floor-aot|defaults|records|unprimed|spring-peer|warmup-*|classes-*|memory-*)
    echo "--also ${also%%=*}: that label is taken" >&2; exit 2 ;; esac
  unzip -q "${also#*=}" -d "$WORK/task/${also%%=*}"
  if [ "$RUNTIME" = jvm ] && [ -e "$WORK/task/${also%%=*}/bootstrap" ]; then
    [ -x "$WORK/task/${also%%=*}/bootstrap" ] || { echo "--also ${also%%=*}: its bootstrap is not executable: Lambda could not start it" >&2; exit 1; }
    OWN_BOOTSTRAP["${also%%=*}"]=1
  fi
done
if [ "$RUNTIME" = native ]; then
  for v in function floor; do
    [ -x "$WORK/task/$v/bootstrap" ] || { echo "the $v zip's bootstrap is not executable: Lambda could not start it" >&2; exit 1; }
  done
fi

MEMORY_MB=512
# Under --lambda-cpu: the share of one CPU each invocation gets. Lambda gives a function CPU in proportion to its
# memory, one vCPU at 1,769 MB (outside an on-demand init, which runs unthrottled).
INVOKE_CPU=0
[ "$LAMBDA_CPU" = 0 ] || INVOKE_CPU="$(python3 -c "print(round($MEMORY_MB / 1769, 4))")"
HANDLER="io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
# The Spring Cloud Function peer's handler: the AWS adapter's, which starts the application MAIN_CLASS names and
# applies the function SPRING_CLOUD_FUNCTION_DEFINITION names.
SPRING_PEER_HANDLER="org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"
EVENT="$WORK/event.json"
printf '%s' '{"name":"张三丰","mobile":"13912345670"}' > "$EVENT"

if [ "$RUNTIME" = jvm ]; then
  echo "fetching the AWS Lambda Java Runtime Interface Client ..."
  rm -rf "$WORK/ric"
  "${MVN[@]}" -f "$HERE/ric/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$WORK/ric"
  RIC_CP="$(ls "$WORK"/ric/*.jar | paste -sd: -)"

  # The RIC loads its JNI client (libcurl-based, linux x86_64 glibc) from inside its jar; say why if it cannot.
  if ! python3 - "$WORK/ric" <<'PY'
import sys, zipfile, glob, platform
jar = glob.glob(sys.argv[1] + "/aws-lambda-java-runtime-interface-client-*.jar")[0]
names = [n for n in zipfile.ZipFile(jar).namelist() if n.startswith("jni/") and n.endswith(".so")]
arch = {"x86_64": "x86_64", "aarch64": "aarch_64"}.get(platform.machine(), platform.machine())
libc = "linux_musl" if platform.libc_ver()[0] != "glibc" else "linux"
want = f"jni/libaws-lambda-jni.{libc}-{arch}.so"
print(f"RIC JNI libraries: {', '.join(n[4:] for n in names)}; this machine needs {want[4:]}")
sys.exit(0 if want in names else 1)
PY
  then
    echo "the Runtime Interface Client has no JNI library for this platform" >&2
    exit 1
  fi

  # The JVM command line of Lambda's java17/java21 managed runtimes (as recorded from inside a function, e.g.
  # https://github.com/sigpwned/the-lambda-iceberg-dissecting-the-official-java-runtimes; tiered compilation
  # stopping at level 1 is documented at https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html),
  # minus what only exists there (Log4jHotPatch agent, the runtime's own CDS archive: the JDK's default one is
  # used). MaxHeapSize is the runtime's 85% of the configured memory; MaxRAM makes the JVM size itself for a
  # 512 MB execution environment instead of this 24 GiB machine (its default initial heap is 1/64 of RAM).
  JVM_FLAGS=(
    "-XX:MaxRAM=${MEMORY_MB}m"
    "-XX:MaxHeapSize=$(((MEMORY_MB * 1024 * 85 + 50) / 100))k"
    -XX:+UseSerialGC
    -Xshare:auto
    -XX:+TieredCompilation -XX:TieredStopAtLevel=1
    --add-opens=java.base/java.io=ALL-UNNAMED
    -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac
    -Djava.net.preferIPv4Stack=true
    -XX:+ErrorFileToStderr
  )
  if [ "$JAVA_MAJOR" -ge 24 ]; then
    # Not on Lambda's java21: what Java 24+ needs to behave as 21 does (JNI without warnings; jboss-threads'
    # thread-local reset, which otherwise throws when an executor thread ends).
    JVM_FLAGS+=(--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED)
  fi
  # The function's own JVM options: template.yaml sets JAVA_TOOL_OPTIONS for the JVM runtime, and Lambda's runtime
  # hands the function's environment to the JVM. Both variants get it (the floor would be deployed the same way);
  # each round also runs the function without it ("defaults"), to show what it changes.
  TOOL_OPTIONS="$(python3 "$ROOT/bench/lib/template_env.py" "$ROOT/template.yaml" jvm JAVA_TOOL_OPTIONS)"

  # A local DynamoDB engine for the variant with idempotency keys: moto's server, one request at a time (the tests'
  # engine, function/src/test/python/serial_moto_server.py), on 127.0.0.1, with the records table created as
  # template.yaml creates it. Its own latency is moto's on this machine, not DynamoDB's.
  DYNAMODB_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  python3 "$ROOT/function/src/test/python/serial_moto_server.py" 127.0.0.1 "$DYNAMODB_PORT" > "$WORK/moto.log" 2>&1 &
  DYNAMODB_PID=$!
  DYNAMODB="http://127.0.0.1:$DYNAMODB_PORT"
  python3 - "$DYNAMODB" "$DYNAMODB_PID" <<'PY'
import os, sys, time, boto3
from botocore.config import Config
endpoint, pid = sys.argv[1], int(sys.argv[2])
client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",  # runtime_api.py's AWS_REGION
                      aws_access_key_id="bench", aws_secret_access_key="bench",
                      config=Config(connect_timeout=1, read_timeout=5, retries={"max_attempts": 1}))
for _ in range(60):
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the local DynamoDB engine (moto) exited at start; see target/cold-start/moto.log")
    try:
        client.list_tables()
        break
    except Exception:
        time.sleep(0.5)
else:
    sys.exit("the local DynamoDB engine (moto) did not answer within 30 s; see target/cold-start/moto.log")
client.create_table(TableName="bench-records", BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
PY
else
  # provided.al2023 starts /var/task/bootstrap with no arguments, and the native image sizes its heap from the
  # memory it sees: by default at most 80 % of physical memory (the serial GC's MaximumHeapSizePercent), the young
  # generation 10 % of that. On Lambda that memory is the function's; here it would be the whole machine's, so the
  # bootstrap gets the maximum heap it would compute in a 512 MB execution environment.
  NATIVE_FLAGS=("-Xmx$(((MEMORY_MB * 1024 * 80 + 50) / 100))k")
  # The function's own setting for the native runtime (template.yaml): Quarkus installs no signal handlers.
  SIGNAL_HANDLERS="$(python3 "$ROOT/bench/lib/template_env.py" "$ROOT/template.yaml" native DISABLE_SIGNAL_HANDLERS)"
fi

# --- 5. measure ------------------------------------------------------------------------------------------
# The per-variant switches of measure (set for one call each below), never taken from the caller's environment.
unset TOOL_OPTIONS_OFF WITH_RECORDS UNPRIMED OWN_CACHE TRAINING
measure() { # label variant warm [extra flag for the JVM or the native image]
            # (TOOL_OPTIONS_OFF=1: without the template's JAVA_TOOL_OPTIONS; WITH_RECORDS=1: idempotency keys;
            # UNPRIMED=1: the request path not primed at startup)
  local label="$1" variant="$2" warm="$3" expect
  local -a extra=("${@:4}")
  local -a fenv=(--function-env "VERIFY_API_BASE_URL={api}")
  local -a start
  local handler="$HANDLER"
  [ "$variant" != spring-peer ] || handler="$SPRING_PEER_HANDLER"
  if [ "$RUNTIME" = jvm ] && [ -n "${OWN_BOOTSTRAP[$variant]:-}" ]; then
    # Deployed on provided.al2023: the bootstrap chooses the JVM and its options itself.
    start=(--runtime provided.al2023 -- "$WORK/task/$variant/bootstrap")
  elif [ "$RUNTIME" = jvm ]; then
    # The template's JVM options are the function's (and the floor's, deployed the same way), not the peer's.
    if [ "${TOOL_OPTIONS_OFF:-0}" != 1 ] && [ "$variant" != spring-peer ]; then
      fenv+=(--function-env "JAVA_TOOL_OPTIONS=$TOOL_OPTIONS")
    fi
    local -a flags=("${JVM_FLAGS[@]}")
    if [ "${OWN_CACHE:-0}" = 1 ]; then
      # The JVM refuses -XX:AOTCache / -XX:AOTCacheOutput beside -Xshare:auto, which the managed runtimes pass: a
      # cache is only for a JVM whose command line we own (the jvm-aot package), and here for the floor's yardstick.
      local -a kept=()
      for f in "${flags[@]}"; do [ "$f" = -Xshare:auto ] || kept+=("$f"); done
      flags=("${kept[@]}")
    fi
    start=(--runtime java21 -- "$BENCH_JAVA" "${flags[@]}" "${extra[@]}" -classpath "$RIC_CP"
           com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$handler")
  else
    fenv+=(--function-env "DISABLE_SIGNAL_HANDLERS=$SIGNAL_HANDLERS")
    start=(--runtime provided.al2023 -- "$WORK/task/$variant/bootstrap" "${NATIVE_FLAGS[@]}" "${extra[@]}")
  fi
  local -a keys=() cpu=()
  # A training run is not measured: at full CPU, so the JVM writes its cache at exit before the driver stops it.
  [ "$INVOKE_CPU" = 0 ] || [ "${TRAINING:-0}" = 1 ] || cpu=(--invoke-cpu "$INVOKE_CPU")
  if [ "$variant" = spring-peer ]; then
    # The peer's own settings: the same fakes, the token secret, the application and the function to apply.
    expect='"status":"CONSISTENT"'
    fenv+=(--function-env VERIFY_TOKEN_SECRET_ID=bench-token --function-env "AWS_ENDPOINT_URL_SECRETS_MANAGER={sm}"
           --function-env MAIN_CLASS=bench.springpeer.PeerApplication
           --function-env SPRING_CLOUD_FUNCTION_DEFINITION=verify)
  elif [ "$variant" != floor ]; then
    expect='"status":"CONSISTENT"'
    fenv+=(--function-env VERIFY_UPSTREAM=live --function-env VERIFY_TOKEN_SECRET_ID=bench-token
           --function-env "AWS_ENDPOINT_URL_SECRETS_MANAGER={sm}")
    if [ "${UNPRIMED:-0}" = 1 ]; then
      # What the priming of the request path at startup (priming.Priming) buys: without it the first
      # invocation loads and first runs the REST client, the signing and the fault tolerance.
      fenv+=(--function-env PRIMING_REQUEST_PATH_ENABLED=false)
    fi
    if [ "${WITH_RECORDS:-0}" = 1 ]; then
      # Every invocation with a new idempotency key on the shared table: a claim and a settle each time.
      fenv+=(--function-env VERIFY_RECORDS_TABLE=bench-records --function-env "AWS_ENDPOINT_URL_DYNAMODB=$DYNAMODB")
      # The daily budget counted as deployed (a reservation on the day's counter before each paid call), under a cap
      # a run cannot reach: the rounds share the table, and a run's invocations are several days of the default.
      fenv+=(--function-env VERIFY_DAILY_BUDGET=100000000)
      keys=(--new-key-each-time)
    fi
  else
    expect='"result":"0"'
  fi
  python3 "$HERE/runtime_api.py" --label "$label" --task-root "$WORK/task/$variant" --event "$EVENT" \
    --expect "$expect" --warm "$warm" "${fenv[@]}" "${keys[@]}" "${cpu[@]}" --log "$WORK/raw/$label.log" \
    --pid-file "$FUNCTION_PID_FILE" --out "$WORK/raw/$label.json" "${start[@]}" &
  DRIVER_PID=$!
  local rc=0
  wait "$DRIVER_PID" || rc=$?
  DRIVER_PID=""
  rm -f "$FUNCTION_PID_FILE"
  if [ "$rc" != 0 ]; then
    echo "FAILED: $label (exit $rc); see $WORK/raw/$label.log" >&2
    exit 1
  fi
}

cut -d' ' -f1-3 /proc/loadavg > "$WORK/load-start"
date -u +%Y-%m-%dT%H:%M:%SZ > "$WORK/started"
echo "round 0 (warms the page cache and the fakes; discarded) ..."
if [ "$RUNTIME" = jvm ]; then
  # The floor with its own ahead-of-time cache (JDK 25, JEP 483/514/515), the yardstick for a function that brings
  # one: trained here on the floor's own request path, by the JVM that then maps it.
  if [ "$JAVA_MAJOR" -ge 25 ]; then
    FLOOR_CACHE="$WORK/floor.aot"
    rm -f "$FLOOR_CACHE"
    echo "training the floor's ahead-of-time cache (500 invocations) ..."
    OWN_CACHE=1 TRAINING=1 measure floor-aot-training floor 500 "-XX:AOTCacheOutput=$FLOOR_CACHE"
    [ -s "$FLOOR_CACHE" ] || { echo "the floor's training run wrote no $FLOOR_CACHE" >&2; exit 1; }
  else
    echo "the floor with its own cache is not measured: $BENCH_JAVA is Java $JAVA_MAJOR, a cache needs 25 or later"
  fi
fi
measure warmup-function function 100
measure warmup-floor floor 100
[ "$SPRING_PEER" = 0 ] || measure warmup-spring-peer spring-peer 100
for i in $(seq 1 "$ROUNDS"); do
  echo "round $i of $ROUNDS ..."
  # The function and the --also builds in turn, each round starting one further along, so none always runs first.
  BUILDS=(function "${ALSO[@]%%=*}")
  for k in "${!BUILDS[@]}"; do
    b="${BUILDS[$(((i - 1 + k) % ${#BUILDS[@]}))]}"
    measure "$b-$i" "$b" "$WARM"
  done
  if [ "$RUNTIME" = jvm ]; then
    TOOL_OPTIONS_OFF=1 measure "defaults-$i" function "$WARM"
    WITH_RECORDS=1 measure "records-$i" function "$WARM"
    UNPRIMED=1 measure "unprimed-$i" function "$WARM"
  fi
  measure "floor-$i" floor "$WARM"
  if [ -n "${FLOOR_CACHE:-}" ]; then OWN_CACHE=1 measure "floor-aot-$i" floor "$WARM" "-XX:AOTCache=$FLOOR_CACHE"; fi
  [ "$SPRING_PEER" = 0 ] || measure "spring-peer-$i" spring-peer "$WARM"
done
cut -d' ' -f1-3 /proc/loadavg > "$WORK/load-end"

# --- 6. the results ----------------------------------------------------------------------------------
mkdir -p "$(dirname "$RESULTS")"
if [ "${#ALSO[@]}" -gt 0 ] || [ "$SPRING_PEER" = 1 ]; then
  COMPARED=(--variant "function=$FUNCTION_ZIP")
  for also in "${ALSO[@]}"; do COMPARED+=(--variant "$also"); done
  COMPARED+=(--variant "floor=$FLOOR_ZIP")
  [ -z "${FLOOR_CACHE:-}" ] || COMPARED+=(--variant "floor-aot=$FLOOR_ZIP")
  [ "$SPRING_PEER" = 0 ] || COMPARED+=(--variant "spring-peer=$SPRING_PEER_ZIP")
  python3 "$HERE/compare.py" --raw "$WORK/raw" --rounds "$ROUNDS" "${COMPARED[@]}" \
    --started "$(cat "$WORK/started")" --out "$COMPARE_RESULTS"
fi
if [ "$RUNTIME" = native ]; then
  python3 "$HERE/report.py" native --raw "$WORK/raw" --rounds "$ROUNDS" --warm "$WARM" \
    --function-zip "$FUNCTION_ZIP" --floor-zip "$FLOOR_ZIP" --task-root "$WORK/task" \
    --bootstrap-args="${NATIVE_FLAGS[*]}" --environment "DISABLE_SIGNAL_HANDLERS=$SIGNAL_HANDLERS" \
    --build-stats "$(ls "$ROOT"/function/target/*-native-image-source-jar/*-build-output-stats.json 2>/dev/null | head -1)" \
    --load-start "$(cat "$WORK/load-start")" --load-end "$(cat "$WORK/load-end")" \
    --started "$(cat "$WORK/started")" --out "$RESULTS" --invoke-cpu "$INVOKE_CPU"
  echo
  cat "$RESULTS"
  exit 0
fi
# Not timed: one more cold start of each with class loading logged and one with native memory tracked and JIT
# compilations printed, to show what init and the first invocation load, where the memory goes and how long
# the JIT keeps compiling (both slow the JVM down, so these runs are kept out of the figures above). The JVM
# prints its memory summary when the driver stops it.
echo "class-loading and memory census (not timed) ..."
for v in function floor; do
  measure "classes-$v" "$v" 0 "-Xlog:class+load:file=$WORK/raw/classes-$v.txt:uptime"
  measure "memory-$v" "$v" "$WARM" -XX:+UnlockDiagnosticVMOptions -XX:NativeMemoryTracking=summary \
    -XX:+PrintNMTStatistics -XX:+PrintCompilation
done
python3 "$HERE/report.py" jvm --raw "$WORK/raw" --rounds "$ROUNDS" --warm "$WARM" \
  --function-zip "$FUNCTION_ZIP" --floor-zip "$FLOOR_ZIP" --java "$BENCH_JAVA" \
  --jvm-flags "${JVM_FLAGS[*]}" --tool-options="$TOOL_OPTIONS" --ric "$(ls "$WORK"/ric | paste -sd' ' -)" \
  --load-start "$(cat "$WORK/load-start")" --load-end "$(cat "$WORK/load-end")" \
  --started "$(cat "$WORK/started")" --sources "$HERE/native-and-snapstart.md" --out "$RESULTS" \
  --invoke-cpu "$INVOKE_CPU"
echo
cat "$RESULTS"

# Sourced by the benchmarks: the JDK that builds (JAVA_HOME, default Temurin 25 when present) and the java that runs
# the functions (BENCH_JAVA, default a JDK 21 if one is installed, as on Lambda's java21 runtime, else $JAVA_HOME's).
# Exits 2 when BENCH_JAVA is older than the Java 21 the function is built for.
default_java_home() {
  if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
}

choose_bench_java() {
  default_java_home
  if [ -z "${BENCH_JAVA:-}" ]; then
    for j in /usr/lib/jvm/*-21-*/bin/java /usr/lib/jvm/*21*/bin/java; do
      if [ -x "$j" ]; then BENCH_JAVA="$j"; break; fi
    done
    BENCH_JAVA="${BENCH_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/java}}"
    BENCH_JAVA="${BENCH_JAVA:-java}"
  fi
  JAVA_MAJOR="$("$BENCH_JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  if [ -z "$JAVA_MAJOR" ] || [ "$JAVA_MAJOR" -lt 21 ]; then
    echo "BENCH_JAVA=$BENCH_JAVA is Java ${JAVA_MAJOR:-?}; the function is built for Java 21: set BENCH_JAVA to a JDK >= 21" >&2
    exit 2
  fi
}

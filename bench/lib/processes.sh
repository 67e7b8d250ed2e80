# Sourced by the benchmarks: on exit, however the script ends, stop every process it started, and only those.
# The script fills these in as it starts them:
#   DRIVER_PID         the driver (it starts the function and the fakes, and stops them when it ends)
#   DYNAMODB_PID       the local DynamoDB engine, when one runs
#   FUNCTION_PID_FILE  where the driver writes the function's pid: killed here too, in case the driver was killed
#                      before it could stop it
#   FUNCTION_MARK      a string the function's command line holds: a pid the system has since given to another
#                      process is left alone
# Every wait is bounded: the driver gets 10 s to stop what it started, then it is killed.
DRIVER_PID=""
DYNAMODB_PID=""
FUNCTION_PID_FILE=""
FUNCTION_MARK=""

stop_started_processes() {
  local rc=$?
  if [ -n "$DRIVER_PID" ] && kill -0 "$DRIVER_PID" 2>/dev/null; then
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$DRIVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$DRIVER_PID" 2>/dev/null || true
  fi
  if [ -n "$FUNCTION_PID_FILE" ] && [ -f "$FUNCTION_PID_FILE" ]; then
    local pid
    pid="$(cat "$FUNCTION_PID_FILE" 2>/dev/null || true)"
    if [ -n "$pid" ] && [ -n "$FUNCTION_MARK" ] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$FUNCTION_MARK"; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$FUNCTION_PID_FILE"
  fi
  if [ -n "$DYNAMODB_PID" ] && kill -0 "$DYNAMODB_PID" 2>/dev/null; then
    kill -TERM "$DYNAMODB_PID" 2>/dev/null || true
  fi
  exit "$rc"
}

# Installs the trap: EXIT stops the processes; INT and TERM exit with the shell's usual codes, which runs it.
stop_started_processes_on_exit() {
  trap stop_started_processes EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

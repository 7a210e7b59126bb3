# Shared helpers for the deploy scripts: sourced, never run. Every service keeps its runtime
# state (pid file, data, logs) under deploy/.run/<service>/ and its downloads under
# deploy/.cache/ so that `down.sh` can stop exactly what `up.sh` started.

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="${DEPLOY_DIR}/.run"
CACHE_DIR="${DEPLOY_DIR}/.cache"

# Prints a message prefixed with the calling script's service name to stderr.
log() {
  echo "[deploy${SERVICE:+/$SERVICE}] $*" >&2
}

# Prints the message, then exits non-zero.
die() {
  log "ERROR: $*"
  exit 1
}

# True when the pid in file $1 belongs to a live process whose command line contains $2.
pid_alive() {
  local pid_file="$1" marker="$2" pid
  pid="$(cat "$pid_file" 2>/dev/null)" || return 1
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$marker"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Stops the process recorded in pid file $1 (SIGTERM, then SIGKILL after $3 seconds), if it
# still runs the command marked by $2; removes the pid file.
stop_pid() {
  local pid_file="$1" marker="$2" grace="${3:-30}" pid i
  if ! pid_alive "$pid_file" "$marker"; then
    rm -f "$pid_file"
    return 0
  fi
  pid="$(cat "$pid_file")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    pid_alive "$pid_file" "$marker" || break
    sleep 0.1
  done
  if pid_alive "$pid_file" "$marker"; then
    log "pid $pid did not stop within ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid_file" "$marker" || break
      sleep 0.1
    done
  fi
  rm -f "$pid_file"
}

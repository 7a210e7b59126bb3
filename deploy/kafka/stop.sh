#!/usr/bin/env bash
# Stops the broker started by start.sh, by its recorded pid. Data is kept.
# Usage: bash deploy/kafka/stop.sh [--kill]   (--kill: SIGKILL at once, as a crash would)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

grace=60
if [[ "${1:-}" == "--kill" ]]; then
  grace=0
fi
if pid_alive "${KAFKA_PID_FILE}" "${KAFKA_MAIN_CLASS}"; then
  pid="$(cat "${KAFKA_PID_FILE}")"
  if ((grace == 0)); then
    kill -KILL "${pid}" 2>/dev/null || true
  fi
  stop_pid "${KAFKA_PID_FILE}" "${KAFKA_MAIN_CLASS}" "${grace:-1}"
  log "stopped (pid ${pid})"
else
  rm -f "${KAFKA_PID_FILE}"
  log "not running"
fi

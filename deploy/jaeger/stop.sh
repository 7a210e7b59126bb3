#!/usr/bin/env bash
# Stops the Jaeger started by start.sh, by its recorded pid (its in-memory traces are lost).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if pid_alive "${JAEGER_PID_FILE}" "${JAEGER_MARKER}"; then
  pid="$(cat "${JAEGER_PID_FILE}")"
  stop_pid "${JAEGER_PID_FILE}" "${JAEGER_MARKER}" 15
  log "stopped (pid ${pid})"
else
  rm -f "${JAEGER_PID_FILE}"
  log "not running"
fi

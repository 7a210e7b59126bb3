#!/usr/bin/env bash
# Stops the SeaweedFS started by start.sh, by its recorded pid. Objects are kept.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if pid_alive "${SEAWEEDFS_PID_FILE}" "${SEAWEEDFS_MARKER}"; then
  pid="$(cat "${SEAWEEDFS_PID_FILE}")"
  stop_pid "${SEAWEEDFS_PID_FILE}" "${SEAWEEDFS_MARKER}" 30
  log "stopped (pid ${pid})"
else
  rm -f "${SEAWEEDFS_PID_FILE}"
  log "not running"
fi

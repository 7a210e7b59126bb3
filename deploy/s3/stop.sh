#!/usr/bin/env bash
# Stops the S3 server started by start.sh, by its recorded pid. Objects are kept.
# Usage: bash deploy/s3/stop.sh [--kill]   (--kill: SIGKILL at once, as a crash would)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

grace=20
if [[ "${1:-}" == "--kill" ]]; then
  grace=0
fi
if pid_alive "${S3_PID_FILE}" "${S3_MAIN_CLASS}"; then
  pid="$(cat "${S3_PID_FILE}")"
  if ((grace == 0)); then
    kill -KILL "${pid}" 2>/dev/null || true
  fi
  stop_pid "${S3_PID_FILE}" "${S3_MAIN_CLASS}" "${grace:-1}"
  log "stopped (pid ${pid})"
else
  rm -f "${S3_PID_FILE}"
  log "not running"
fi

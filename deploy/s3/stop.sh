#!/usr/bin/env bash
# Stops the S3 server started by start.sh, by its recorded pid. Objects are kept.
# Usage: bash deploy/s3/stop.sh [--kill]   (--kill: SIGKILL at once, as a crash would)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_service "${S3_PID_FILE}" "${S3_MAIN_CLASS}" 20 "${1:-}"

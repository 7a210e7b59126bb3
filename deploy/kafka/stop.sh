#!/usr/bin/env bash
# Stops the broker started by start.sh, by its recorded pid. Data is kept.
# Usage: bash deploy/kafka/stop.sh [--kill]   (--kill: SIGKILL at once, as a crash would)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_service "${KAFKA_PID_FILE}" "${KAFKA_MAIN_CLASS}" 60 "${1:-}"

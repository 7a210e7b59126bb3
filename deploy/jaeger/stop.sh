#!/usr/bin/env bash
# Stops the Jaeger started by start.sh, by its recorded pid (its in-memory traces are lost).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_service "${JAEGER_PID_FILE}" "${JAEGER_MARKER}" 15

#!/usr/bin/env bash
# Stops the SeaweedFS started by start.sh, by its recorded pid. Objects are kept.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_service "${SEAWEEDFS_PID_FILE}" "${SEAWEEDFS_MARKER}" 30

#!/usr/bin/env bash
# Stops the PostgreSQL cluster started by start.sh. Data is kept.
# Usage: bash deploy/postgres/stop.sh [--kill]   (--kill: immediate shutdown, as a crash would)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

mode=fast
if [[ "${1:-}" == "--kill" ]]; then
  mode=immediate
fi
if cluster_online; then
  pg_ctlcluster "${POSTGRES_VERSION}" "${POSTGRES_CLUSTER}" stop -m "${mode}"
  log "stopped (${mode})"
else
  log "not running"
fi

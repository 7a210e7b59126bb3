#!/usr/bin/env bash
# Stops services started by up.sh, by the pids they recorded; data stays in deploy/.run/.
# Usage: bash deploy/down.sh [service ...]   (default: every service)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

ALL_SERVICES=(kafka postgres s3 python jaeger chromium)
services=("$@")
[[ ${#services[@]} -gt 0 ]] || services=("${ALL_SERVICES[@]}")

status=0
for service in "${services[@]}"; do
  [[ -f "${service}/stop.sh" ]] || { echo "[deploy] unknown service: ${service}" >&2; exit 2; }
  bash "${service}/stop.sh" || status=1
done
exit "$status"

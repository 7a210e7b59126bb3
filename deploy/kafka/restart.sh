#!/usr/bin/env bash
# Stops and starts the broker, keeping its data (for broker-outage tests and after a crash).
# Usage: bash deploy/kafka/restart.sh [--kill]
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
bash "${dir}/stop.sh" "$@"
bash "${dir}/start.sh"

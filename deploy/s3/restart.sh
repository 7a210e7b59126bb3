#!/usr/bin/env bash
# Stops and starts the S3 server, keeping its objects (for outage tests and after a crash).
# Usage: bash deploy/s3/restart.sh [--kill]
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
bash "${dir}/stop.sh" "$@"
bash "${dir}/start.sh"

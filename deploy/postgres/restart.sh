#!/usr/bin/env bash
# Stops then starts the cluster (fault tests use it); passes --kill on to stop.sh.
set -euo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
bash "${dir}/stop.sh" "$@"
bash "${dir}/start.sh"

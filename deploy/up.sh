#!/usr/bin/env bash
# Installs (cached) and starts the services the tests need, natively on 127.0.0.1.
# Usage: bash deploy/up.sh [service ...]   (default: every service below)
# Opt-in, not in the default list: seaweedfs (compose's S3 server, built from Go source: a cold
# build takes most of an hour; sinks/delta/seaweedfs_integration_test.ts uses it).
# Prints one NAME=value line per service address (e.g. KAFKA_BROKERS=127.0.0.1:9092) on stdout;
# progress goes to stderr. Idempotent: a running service is left running.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

ALL_SERVICES=(kafka postgres s3 python jaeger chromium)
services=("$@")
[[ ${#services[@]} -gt 0 ]] || services=("${ALL_SERVICES[@]}")

for service in "${services[@]}"; do
  [[ -f "${service}/start.sh" ]] || { echo "[deploy] unknown service: ${service}" >&2; exit 2; }
  bash "${service}/start.sh"
done

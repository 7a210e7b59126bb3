#!/usr/bin/env bash
# Starts Jaeger v2 (in-memory storage) on 127.0.0.1, building it first if needed, waits until
# its query API answers, and prints OTEL_EXPORTER_OTLP_ENDPOINT and JAEGER_QUERY_URL on stdout.
# Idempotent: a Jaeger already running from this folder is reused. Traces live in memory only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

fail_with_logs() {
  log "ERROR: $*"
  log "last lines of ${JAEGER_LOGS}/jaeger.out:"
  tail -n 30 "${JAEGER_LOGS}/jaeger.out" >&2 2>/dev/null || true
  exit 1
}

query_answers() {
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${JAEGER_QUERY_PORT}/api/services"
}

bash "${JAEGER_DIR}/install.sh"
command -v curl >/dev/null || install_packages curl
mkdir -p "${JAEGER_LOGS}"

if pid_alive "${JAEGER_PID_FILE}" "${JAEGER_MARKER}"; then
  log "already running (pid $(cat "${JAEGER_PID_FILE}"))"
else
  for port in "${JAEGER_OTLP_GRPC_PORT}" "${JAEGER_OTLP_HTTP_PORT}" "${JAEGER_QUERY_PORT}" \
    "${JAEGER_QUERY_GRPC_PORT}" "${JAEGER_HEALTH_PORT}"; do
    port_open "${port}" && fail_with_logs "port ${port} is taken by a process this script did not start"
  done
  sed -e "s|@OTLP_GRPC_PORT@|${JAEGER_OTLP_GRPC_PORT}|g" \
    -e "s|@OTLP_HTTP_PORT@|${JAEGER_OTLP_HTTP_PORT}|g" \
    -e "s|@QUERY_PORT@|${JAEGER_QUERY_PORT}|g" \
    -e "s|@QUERY_GRPC_PORT@|${JAEGER_QUERY_GRPC_PORT}|g" \
    -e "s|@HEALTH_PORT@|${JAEGER_HEALTH_PORT}|g" \
    "${JAEGER_DIR}/config.yaml.template" >"${JAEGER_CONFIG}"
  log "starting jaeger ${JAEGER_VERSION}: OTLP 127.0.0.1:${JAEGER_OTLP_GRPC_PORT} (gRPC) and :${JAEGER_OTLP_HTTP_PORT} (HTTP), query :${JAEGER_QUERY_PORT}"
  nohup "${JAEGER_BIN}" --config "${JAEGER_CONFIG}" >>"${JAEGER_LOGS}/jaeger.out" 2>&1 </dev/null &
  echo $! >"${JAEGER_PID_FILE}"
fi

deadline=$((SECONDS + JAEGER_START_TIMEOUT_S))
until port_open "${JAEGER_OTLP_HTTP_PORT}" && query_answers; do
  # kill -0, not pid_alive: right after the fork the child's command line is still bash's.
  kill -0 "$(cat "${JAEGER_PID_FILE}")" 2>/dev/null || fail_with_logs "jaeger exited during start-up"
  ((SECONDS < deadline)) || fail_with_logs "jaeger did not answer within ${JAEGER_START_TIMEOUT_S}s"
  sleep 0.2
done
log "ready (pid $(cat "${JAEGER_PID_FILE}")); logs in ${JAEGER_LOGS}"
echo "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${JAEGER_OTLP_HTTP_PORT}"
echo "JAEGER_QUERY_URL=http://127.0.0.1:${JAEGER_QUERY_PORT}"

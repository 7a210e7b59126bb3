#!/usr/bin/env bash
# Starts the one-node KRaft broker on 127.0.0.1 (installing it first if needed), waits until it
# answers a metadata request, and prints KAFKA_BROKERS=127.0.0.1:9092 on stdout.
# Idempotent: a broker already running from this folder is reused. Data persists in
# deploy/.run/kafka/data across stop/start; delete that folder for a fresh broker.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

fail_with_logs() {
  log "ERROR: $*"
  log "logs: ${KAFKA_LOGS}/server.log and ${KAFKA_LOGS}/kafka.out; last lines of kafka.out:"
  tail -n 30 "${KAFKA_LOGS}/kafka.out" >&2 2>/dev/null || true
  exit 1
}

# Asks the broker for its topic list through Kafka's own AdminClient-based tool.
broker_answers() {
  timeout 30 bash -c "$(declare -f kafka_java); KAFKA_LIBS='${KAFKA_LIBS}' KAFKA_DIR='${KAFKA_DIR}' \
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server '${KAFKA_BOOTSTRAP}' --list" \
    >/dev/null 2>"${KAFKA_LOGS}/ready-check.err"
}

bash "${KAFKA_DIR}/install.sh"
mkdir -p "${KAFKA_DATA}" "${KAFKA_LOGS}"

if pid_alive "${KAFKA_PID_FILE}" "${KAFKA_MAIN_CLASS}"; then
  log "already running (pid $(cat "${KAFKA_PID_FILE}"))"
else
  if port_open "${KAFKA_BROKER_PORT}" || port_open "${KAFKA_CONTROLLER_PORT}"; then
    fail_with_logs "port ${KAFKA_BROKER_PORT} or ${KAFKA_CONTROLLER_PORT} is taken by a process this script did not start"
  fi
  sed -e "s|@BROKER_PORT@|${KAFKA_BROKER_PORT}|g" \
    -e "s|@CONTROLLER_PORT@|${KAFKA_CONTROLLER_PORT}|g" \
    -e "s|@DATA_DIR@|${KAFKA_DATA}|g" \
    "${KAFKA_DIR}/server.properties.template" >"${KAFKA_CONFIG}"

  if [[ ! -f "${KAFKA_DATA}/meta.properties" ]]; then
    cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid)"
    log "formatting KRaft storage (cluster ${cluster_id}) in ${KAFKA_DATA}"
    kafka_java kafka.tools.StorageTool format -t "${cluster_id}" -c "${KAFKA_CONFIG}" \
      >"${KAFKA_LOGS}/format.out" 2>&1 || {
      cat "${KAFKA_LOGS}/format.out" >&2
      fail_with_logs "kafka-storage format failed"
    }
  fi

  log "starting Kafka ${KAFKA_VERSION} on ${KAFKA_BOOTSTRAP} (controller 127.0.0.1:${KAFKA_CONTROLLER_PORT})"
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS holds several options.
  nohup java ${KAFKA_HEAP_OPTS} -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true \
    -Dkafka.logs.dir="${KAFKA_LOGS}" \
    -Dlog4j2.configurationFile="${KAFKA_DIR}/log4j2.properties" \
    -cp "${KAFKA_LIBS}/*" "${KAFKA_MAIN_CLASS}" "${KAFKA_CONFIG}" \
    >>"${KAFKA_LOGS}/kafka.out" 2>&1 </dev/null &
  echo $! >"${KAFKA_PID_FILE}"
fi

deadline=$((SECONDS + KAFKA_START_TIMEOUT_S))
until port_open "${KAFKA_BROKER_PORT}" && broker_answers; do
  pid_alive "${KAFKA_PID_FILE}" "${KAFKA_MAIN_CLASS}" || fail_with_logs "the broker process exited during start-up"
  ((SECONDS < deadline)) || fail_with_logs "the broker did not answer on ${KAFKA_BOOTSTRAP} within ${KAFKA_START_TIMEOUT_S}s"
  sleep 0.5
done
log "ready (pid $(cat "${KAFKA_PID_FILE}")); logs in ${KAFKA_LOGS}"
echo "KAFKA_BROKERS=${KAFKA_BOOTSTRAP}"

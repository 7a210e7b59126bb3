#!/usr/bin/env bash
# Starts SeaweedFS (`weed server`: master, volume, filer and S3 gateway in one process) on
# 127.0.0.1, building it first if needed, creates the bucket, and prints SEAWEEDFS_S3_ENDPOINT,
# S3_BUCKET, S3_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY lines on stdout. Idempotent: a
# server already running from this folder is reused. Objects persist in deploy/.run/seaweedfs/data
# across stop/start; delete that folder for an empty store. Opt-in: `bash deploy/up.sh seaweedfs`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

fail_with_logs() {
  log "ERROR: $*"
  log "last lines of ${SEAWEEDFS_LOGS}/weed.out:"
  tail -n 30 "${SEAWEEDFS_LOGS}/weed.out" >&2 2>/dev/null || true
  exit 1
}

bash "${SEAWEEDFS_DIR}/install.sh"
command -v curl >/dev/null || install_packages curl
mkdir -p "${SEAWEEDFS_DATA}" "${SEAWEEDFS_LOGS}"

if pid_alive "${SEAWEEDFS_PID_FILE}" "${SEAWEEDFS_MARKER}"; then
  log "already running (pid $(cat "${SEAWEEDFS_PID_FILE}"))"
else
  # Each HTTP port's gRPC twin is the port + 10000.
  for port in "${SEAWEEDFS_S3_PORT}" "${SEAWEEDFS_MASTER_PORT}" "${SEAWEEDFS_VOLUME_PORT}" \
    "${SEAWEEDFS_FILER_PORT}"; do
    for p in "${port}" "$((port + 10000))"; do
      port_open "${p}" && fail_with_logs "port ${p} is taken by a process this script did not start"
    done
  done
  # One admin identity with the deploy/s3 key pair (SeaweedFS's S3 identities file).
  cat >"${SEAWEEDFS_S3_CONFIG}" <<JSON
{
  "identities": [
    {
      "name": "analytics",
      "credentials": [{ "accessKey": "${S3_ACCESS_KEY}", "secretKey": "${S3_SECRET_KEY}" }],
      "actions": ["Admin", "Read", "List", "Tagging", "Write"]
    }
  ]
}
JSON
  log "starting weed ${SEAWEEDFS_RELEASE} with S3 on ${SEAWEEDFS_S3_ENDPOINT} (data in ${SEAWEEDFS_DATA})"
  # Small volumes (64 MB) so a test store does not preallocate gigabytes; the Iceberg and Lance
  # catalog ports are off. Started from its run folder: weed looks for config files in ".".
  (
    cd "${SEAWEEDFS_RUN}"
    exec nohup "${SEAWEEDFS_BIN}" server -ip=127.0.0.1 -ip.bind=127.0.0.1 \
      -dir="${SEAWEEDFS_DATA}" -master.port="${SEAWEEDFS_MASTER_PORT}" \
      -master.volumeSizeLimitMB=64 -volume.max=32 -volume.port="${SEAWEEDFS_VOLUME_PORT}" \
      -volume.preStopSeconds=0 -filer -filer.port="${SEAWEEDFS_FILER_PORT}" \
      -s3 -s3.port="${SEAWEEDFS_S3_PORT}" -s3.config="${SEAWEEDFS_S3_CONFIG}" \
      -s3.port.iceberg=0 -s3.port.lance=0 \
      >>"${SEAWEEDFS_LOGS}/weed.out" 2>&1 </dev/null
  ) &
  echo $! >"${SEAWEEDFS_PID_FILE}"
fi

deadline=$((SECONDS + SEAWEEDFS_START_TIMEOUT_S))
until port_open "${SEAWEEDFS_S3_PORT}" && [[ "$(seaweedfs_s3_curl GET / 2>/dev/null)" == "200" ]]; do
  # kill -0, not pid_alive: right after the fork the child's command line is still bash's.
  kill -0 "$(cat "${SEAWEEDFS_PID_FILE}")" 2>/dev/null || fail_with_logs "weed exited during start-up"
  ((SECONDS < deadline)) ||
    fail_with_logs "weed's S3 gateway did not answer on ${SEAWEEDFS_S3_ENDPOINT} within ${SEAWEEDFS_START_TIMEOUT_S}s"
  sleep 0.5
done

s3_ensure_bucket "${SEAWEEDFS_S3_ENDPOINT}" "${S3_BUCKET}" || fail_with_logs "no bucket ${S3_BUCKET}"
log "ready (pid $(cat "${SEAWEEDFS_PID_FILE}")); log in ${SEAWEEDFS_LOGS}/weed.out"
echo "SEAWEEDFS_S3_ENDPOINT=${SEAWEEDFS_S3_ENDPOINT}"
print_s3_client_env

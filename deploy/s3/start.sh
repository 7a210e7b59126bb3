#!/usr/bin/env bash
# Starts s3proxy (filesystem backend) on 127.0.0.1 (installing it first if needed), creates the
# bucket, and prints S3_ENDPOINT, S3_BUCKET, S3_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
# lines on stdout. Idempotent: a server already running from this folder is reused. Objects
# persist in deploy/.run/s3/data across stop/start; delete that folder for an empty store.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

fail_with_logs() {
  log "ERROR: $*"
  log "last lines of ${S3_LOGS}/s3proxy.out:"
  tail -n 30 "${S3_LOGS}/s3proxy.out" >&2 2>/dev/null || true
  exit 1
}

bash "${S3_DEPLOY_DIR}/install.sh"
mkdir -p "${S3_DATA}" "${S3_LOGS}"

if pid_alive "${S3_PID_FILE}" "${S3_MAIN_CLASS}"; then
  log "already running (pid $(cat "${S3_PID_FILE}"))"
else
  port_open "${S3_PORT}" && fail_with_logs "port ${S3_PORT} is taken by a process this script did not start"
  cat >"${S3_CONFIG}" <<PROPERTIES
s3proxy.endpoint=${S3_ENDPOINT}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=${S3_ACCESS_KEY}
s3proxy.credential=${S3_SECRET_KEY}
jclouds.provider=filesystem-nio2
jclouds.identity=${S3_ACCESS_KEY}
jclouds.credential=${S3_SECRET_KEY}
jclouds.filesystem.basedir=${S3_DATA}
PROPERTIES
  log "starting s3proxy ${S3PROXY_VERSION} on ${S3_ENDPOINT} (data in ${S3_DATA})"
  # shellcheck disable=SC2086 # S3_HEAP_OPTS holds several options.
  nohup java ${S3_HEAP_OPTS} -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlogback.configurationFile="${S3_DEPLOY_DIR}/logback.xml" \
    -cp "${S3_LIBS}/*" "${S3_MAIN_CLASS}" --properties "${S3_CONFIG}" \
    >>"${S3_LOGS}/s3proxy.out" 2>&1 </dev/null &
  echo $! >"${S3_PID_FILE}"
fi

deadline=$((SECONDS + S3_START_TIMEOUT_S))
until port_open "${S3_PORT}" && [[ "$(s3_curl GET / 2>/dev/null)" == "200" ]]; do
  pid_alive "${S3_PID_FILE}" "${S3_MAIN_CLASS}" || fail_with_logs "s3proxy exited during start-up"
  ((SECONDS < deadline)) || fail_with_logs "s3proxy did not answer on ${S3_ENDPOINT} within ${S3_START_TIMEOUT_S}s"
  sleep 0.3
done

s3_ensure_bucket "${S3_ENDPOINT}" "${S3_BUCKET}" || fail_with_logs "no bucket ${S3_BUCKET}"
log "ready (pid $(cat "${S3_PID_FILE}")); log in ${S3_LOGS}/s3proxy.out"
echo "S3_ENDPOINT=${S3_ENDPOINT}"
print_s3_client_env

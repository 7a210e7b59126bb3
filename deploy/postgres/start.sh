#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster on 127.0.0.1 (installing it first if needed) with Debian's
# cluster tools (the server refuses root; pg_ctlcluster runs it as the postgres user), creates
# the role and database `analytics` idempotently, and prints DATABASE_URL=... on stdout.
# Idempotent: a running cluster is left running. Data lives in the cluster's own folder
# (/var/lib/postgresql/<version>/<cluster>), kept across stop/start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

bash "${POSTGRES_DIR}/install.sh"

conf_dir="/etc/postgresql/${POSTGRES_VERSION}/${POSTGRES_CLUSTER}"
# Listen on loopback only, on the configured port (a drop-in read through Debian's conf.d),
# with settings for a test box; they take effect at the next start.
cat >"${conf_dir}/conf.d/analytics.conf" <<CONF
listen_addresses = '127.0.0.1'
port = ${POSTGRES_PORT}
max_connections = 200
CONF
# Password logins from loopback TCP (Debian's default pg_hba already allows scram on 127.0.0.1).
grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+scram-sha-256' "${conf_dir}/pg_hba.conf" ||
  echo "host all all 127.0.0.1/32 scram-sha-256" >>"${conf_dir}/pg_hba.conf"

if cluster_online; then
  log "already running (cluster ${POSTGRES_VERSION}/${POSTGRES_CLUSTER})"
else
  if port_open "${POSTGRES_PORT}"; then
    die "port ${POSTGRES_PORT} is taken by a process this script did not start"
  fi
  log "starting PostgreSQL ${POSTGRES_VERSION}/${POSTGRES_CLUSTER} on 127.0.0.1:${POSTGRES_PORT}"
  pg_ctlcluster "${POSTGRES_VERSION}" "${POSTGRES_CLUSTER}" start ||
    die "pg_ctlcluster start failed; see /var/log/postgresql/postgresql-${POSTGRES_VERSION}-${POSTGRES_CLUSTER}.log"
fi

deadline=$((SECONDS + POSTGRES_START_TIMEOUT_S))
until cluster_ready; do
  ((SECONDS < deadline)) || die "PostgreSQL did not answer within ${POSTGRES_START_TIMEOUT_S}s"
  sleep 0.3
done

psql_admin <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '${POSTGRES_ROLE}', '${POSTGRES_PASSWORD}')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${POSTGRES_ROLE}') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '${POSTGRES_DATABASE}', '${POSTGRES_ROLE}')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${POSTGRES_DATABASE}') \gexec
SQL
log "ready; role and database ${POSTGRES_DATABASE} exist"
echo "${DATABASE_URL_LINE}"

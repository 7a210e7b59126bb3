#!/usr/bin/env bash
# Installs Debian's PostgreSQL (server, client with psql, cluster tools) when missing, and
# creates the cluster when it does not exist. Runs apt-get update only when the install needs it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if ! command -v pg_ctlcluster >/dev/null || [[ ! -x "/usr/lib/postgresql/${POSTGRES_VERSION}/bin/postgres" ]] ||
  ! command -v psql >/dev/null; then
  install_packages "postgresql-${POSTGRES_VERSION}" postgresql-client-common
fi

if ! pg_lsclusters --no-header "${POSTGRES_VERSION}" "${POSTGRES_CLUSTER}" 2>/dev/null | grep -q .; then
  log "creating cluster ${POSTGRES_VERSION}/${POSTGRES_CLUSTER} on port ${POSTGRES_PORT}"
  pg_createcluster --port "${POSTGRES_PORT}" "${POSTGRES_VERSION}" "${POSTGRES_CLUSTER}" >&2
fi

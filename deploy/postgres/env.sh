# PostgreSQL settings shared by the postgres scripts: sourced, never run.
# Overridable from the environment: POSTGRES_VERSION, POSTGRES_CLUSTER, POSTGRES_PORT,
# POSTGRES_START_TIMEOUT_S.
SERVICE=postgres
POSTGRES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "${POSTGRES_DIR}/../lib.sh"

POSTGRES_VERSION="${POSTGRES_VERSION:-15}"
POSTGRES_CLUSTER="${POSTGRES_CLUSTER:-main}"
POSTGRES_PORT="${POSTGRES_PORT:-5432}"
POSTGRES_START_TIMEOUT_S="${POSTGRES_START_TIMEOUT_S:-60}"
POSTGRES_ROLE=analytics
POSTGRES_PASSWORD=analytics
POSTGRES_DATABASE=analytics
DATABASE_URL_LINE="DATABASE_URL=postgres://${POSTGRES_ROLE}:${POSTGRES_PASSWORD}@127.0.0.1:${POSTGRES_PORT}/${POSTGRES_DATABASE}"

# Runs psql as the postgres superuser over the cluster's Unix socket.
psql_admin() {
  runuser -u postgres -- psql --cluster "${POSTGRES_VERSION}/${POSTGRES_CLUSTER}" -X -q \
    -v ON_ERROR_STOP=1 "$@"
}

# True when the cluster answers a query.
cluster_ready() {
  runuser -u postgres -- pg_isready --cluster "${POSTGRES_VERSION}/${POSTGRES_CLUSTER}" -q \
    2>/dev/null || pg_isready -h 127.0.0.1 -p "${POSTGRES_PORT}" -q
}

# True when pg_lsclusters reports the cluster online.
cluster_online() {
  pg_lsclusters --no-header "${POSTGRES_VERSION}" "${POSTGRES_CLUSTER}" 2>/dev/null |
    awk '{print $4}' | grep -q '^online'
}

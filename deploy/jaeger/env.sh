# Jaeger settings shared by install.sh, start.sh and stop.sh: sourced, never run.
# Overridable from the environment: JAEGER_OTLP_GRPC_PORT, JAEGER_OTLP_HTTP_PORT,
# JAEGER_QUERY_PORT, JAEGER_QUERY_GRPC_PORT, JAEGER_HEALTH_PORT, JAEGER_START_TIMEOUT_S.
SERVICE=jaeger
JAEGER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "${JAEGER_DIR}/../lib.sh"

JAEGER_VERSION="v1.76.0"
JAEGER_BIN="${CACHE_DIR}/bin/jaeger-${JAEGER_VERSION}"
JAEGER_RUN="${RUN_DIR}/jaeger"
JAEGER_LOGS="${JAEGER_RUN}/logs"
JAEGER_PID_FILE="${JAEGER_RUN}/jaeger.pid"
JAEGER_CONFIG="${JAEGER_RUN}/config.yaml"
JAEGER_OTLP_GRPC_PORT="${JAEGER_OTLP_GRPC_PORT:-4317}"
JAEGER_OTLP_HTTP_PORT="${JAEGER_OTLP_HTTP_PORT:-4318}"
JAEGER_QUERY_PORT="${JAEGER_QUERY_PORT:-16686}"
JAEGER_START_TIMEOUT_S="${JAEGER_START_TIMEOUT_S:-60}"
# Marks our process's command line, so a recycled pid is never killed by mistake.
JAEGER_MARKER="jaeger-${JAEGER_VERSION}"
JAEGER_QUERY_GRPC_PORT="${JAEGER_QUERY_GRPC_PORT:-16685}"
JAEGER_HEALTH_PORT="${JAEGER_HEALTH_PORT:-13133}"

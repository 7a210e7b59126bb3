# S3 server settings shared by install.sh, start.sh and stop.sh: sourced, never run.
# Overridable from the environment: S3_PORT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION,
# S3_HEAP_OPTS, S3_START_TIMEOUT_S, S3_RUN_DIR (pid file, objects and logs; default deploy/.run/s3: a
# test's private server points it at a folder of its own).
SERVICE=s3
S3_DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "${S3_DEPLOY_DIR}/../lib.sh"

S3PROXY_VERSION="$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "${S3_DEPLOY_DIR}/pom.xml")"
S3_LIBS="${CACHE_DIR}/s3proxy-${S3PROXY_VERSION}/libs"
S3_RUN="${S3_RUN_DIR:-${RUN_DIR}/s3}"
S3_DATA="${S3_RUN}/data"
S3_LOGS="${S3_RUN}/logs"
S3_PID_FILE="${S3_RUN}/s3proxy.pid"
S3_CONFIG="${S3_RUN}/s3proxy.properties"
S3_PORT="${S3_PORT:-9000}"
S3_ENDPOINT="http://127.0.0.1:${S3_PORT}"
S3_BUCKET="${S3_BUCKET:-analytics}"
# A fixed test key pair: requests are signed (SigV4) exactly as against a real S3.
S3_ACCESS_KEY="${S3_ACCESS_KEY:-analytics-test}"
S3_SECRET_KEY="${S3_SECRET_KEY:-analytics-test-secret}"
S3_REGION="${S3_REGION:-us-east-1}"
S3_HEAP_OPTS="${S3_HEAP_OPTS:--Xms64m -Xmx512m}"
S3_START_TIMEOUT_S="${S3_START_TIMEOUT_S:-60}"
# The main class marks our server's command line, so a recycled pid is never killed by mistake.
S3_MAIN_CLASS="org.gaul.s3proxy.Main"

# Sends a SigV4-signed request (method, path, curl arguments) to the server; prints the HTTP status.
s3_curl() {
  s3_signed_curl "${S3_ENDPOINT}" "$@"
}

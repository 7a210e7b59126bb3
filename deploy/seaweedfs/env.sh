# SeaweedFS settings shared by install.sh, start.sh and stop.sh: sourced, never run.
# Overridable from the environment: SEAWEEDFS_S3_PORT, SEAWEEDFS_MASTER_PORT,
# SEAWEEDFS_VOLUME_PORT, SEAWEEDFS_FILER_PORT, SEAWEEDFS_START_TIMEOUT_S, and the credentials and
# bucket under the same names as deploy/s3 (S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION).
# Not started by default (`bash deploy/up.sh seaweedfs` opts in): the first build takes many minutes.
SERVICE=seaweedfs
SEAWEEDFS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "${SEAWEEDFS_DIR}/../lib.sh"

# The Go module proxy serves SeaweedFS only as a pseudo-version; its source's
# weed/util/version/constants.go says 4.53 (the release the compose.yaml image tag names).
SEAWEEDFS_MODULE="github.com/seaweedfs/seaweedfs"
SEAWEEDFS_VERSION="v0.0.0-20261109003541-7506e5f91cd6"
SEAWEEDFS_RELEASE="4.53"
SEAWEEDFS_BIN="${CACHE_DIR}/bin/weed-${SEAWEEDFS_VERSION}"
SEAWEEDFS_RUN="${RUN_DIR}/seaweedfs"
SEAWEEDFS_DATA="${SEAWEEDFS_RUN}/data"
SEAWEEDFS_LOGS="${SEAWEEDFS_RUN}/logs"
SEAWEEDFS_PID_FILE="${SEAWEEDFS_RUN}/weed.pid"
SEAWEEDFS_S3_CONFIG="${SEAWEEDFS_RUN}/s3.json"
SEAWEEDFS_S3_PORT="${SEAWEEDFS_S3_PORT:-8333}"
SEAWEEDFS_MASTER_PORT="${SEAWEEDFS_MASTER_PORT:-9333}"
SEAWEEDFS_VOLUME_PORT="${SEAWEEDFS_VOLUME_PORT:-8088}"
SEAWEEDFS_FILER_PORT="${SEAWEEDFS_FILER_PORT:-8888}"
SEAWEEDFS_S3_ENDPOINT="http://127.0.0.1:${SEAWEEDFS_S3_PORT}"
SEAWEEDFS_START_TIMEOUT_S="${SEAWEEDFS_START_TIMEOUT_S:-120}"
S3_BUCKET="${S3_BUCKET:-analytics}"
# The same fixed test key pair as deploy/s3: requests are SigV4-signed as against a real S3.
S3_ACCESS_KEY="${S3_ACCESS_KEY:-analytics-test}"
S3_SECRET_KEY="${S3_SECRET_KEY:-analytics-test-secret}"
S3_REGION="${S3_REGION:-us-east-1}"
# Marks our process's command line, so a recycled pid is never killed by mistake.
SEAWEEDFS_MARKER="weed-${SEAWEEDFS_VERSION}"

# Sends a SigV4-signed request to SeaweedFS's S3 gateway; prints the HTTP status code.
seaweedfs_s3_curl() {
  s3_signed_curl "${SEAWEEDFS_S3_ENDPOINT}" "$@"
}

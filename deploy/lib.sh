# Shared helpers for the deploy scripts: sourced, never run. Every service keeps its runtime
# state (pid file, data, logs) under deploy/.run/<service>/ and its downloads under
# deploy/.cache/ so that `down.sh` can stop exactly what `up.sh` started.

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="${DEPLOY_DIR}/.run"
CACHE_DIR="${DEPLOY_DIR}/.cache"

# Prints a message prefixed with the calling script's service name to stderr.
log() {
  echo "[deploy${SERVICE:+/$SERVICE}] $*" >&2
}

# Prints the message, then exits non-zero.
die() {
  log "ERROR: $*"
  exit 1
}

# True when the pid in file $1 belongs to a live process whose command line contains $2.
pid_alive() {
  local pid_file="$1" marker="$2" pid
  pid="$(cat "$pid_file" 2>/dev/null)" || return 1
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$marker"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Stops the process recorded in pid file $1 (SIGTERM, then SIGKILL after $3 seconds), if it
# still runs the command marked by $2; removes the pid file.
stop_pid() {
  local pid_file="$1" marker="$2" grace="${3:-30}" pid i
  if ! pid_alive "$pid_file" "$marker"; then
    rm -f "$pid_file"
    return 0
  fi
  pid="$(cat "$pid_file")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    pid_alive "$pid_file" "$marker" || break
    sleep 0.1
  done
  if pid_alive "$pid_file" "$marker"; then
    log "pid $pid did not stop within ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid_file" "$marker" || break
      sleep 0.1
    done
  fi
  rm -f "$pid_file"
}

# Stops the service whose pid file is $1 and command line is marked by $2 with stop_pid (grace $3
# seconds; $4 = --kill: SIGKILL at once, as a crash would) and logs what it found.
stop_service() {
  local pid_file="$1" marker="$2" grace="$3" pid
  if [[ "${4:-}" == "--kill" ]]; then
    grace=0
  fi
  if ! pid_alive "$pid_file" "$marker"; then
    rm -f "$pid_file"
    log "not running"
    return 0
  fi
  pid="$(cat "$pid_file")"
  if ((grace == 0)); then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  stop_pid "$pid_file" "$marker" "$grace"
  log "stopped (pid ${pid})"
}

# Sends a SigV4-signed request to the S3 server at $1 (method $2, path $3, then curl arguments)
# with the S3_REGION, S3_ACCESS_KEY and S3_SECRET_KEY key pair; prints the HTTP status code. (curl
# does not send the payload hash header S3 requires, so it is given as UNSIGNED-PAYLOAD.)
s3_signed_curl() {
  local endpoint="$1" method="$2" path="$3" method_flag
  shift 3
  method_flag=(-X "${method}")
  [[ "${method}" == "HEAD" ]] && method_flag=(--head)
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${method_flag[@]}" \
    --aws-sigv4 "aws:amz:${S3_REGION}:s3" --user "${S3_ACCESS_KEY}:${S3_SECRET_KEY}" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@" "${endpoint}${path}"
}

# Creates bucket $2 on the S3 server at $1 unless it exists; on a refusal logs the HTTP status and
# returns non-zero.
s3_ensure_bucket() {
  local endpoint="$1" bucket="$2" status
  status="$(s3_signed_curl "${endpoint}" HEAD "/${bucket}")"
  [[ "${status}" == "200" ]] && return 0
  status="$(s3_signed_curl "${endpoint}" PUT "/${bucket}")"
  if [[ "${status}" != "200" ]]; then
    log "creating bucket ${bucket} answered HTTP ${status}"
    return 1
  fi
  log "created bucket ${bucket}"
}

# Prints the S3_BUCKET, S3_REGION and key pair lines a client of an S3 server started here needs.
print_s3_client_env() {
  echo "S3_BUCKET=${S3_BUCKET}"
  echo "S3_REGION=${S3_REGION}"
  echo "AWS_ACCESS_KEY_ID=${S3_ACCESS_KEY}"
  echo "AWS_SECRET_ACCESS_KEY=${S3_SECRET_KEY}"
}

# Installs Debian packages $@ with apt-get, running `apt-get update` only when the first try fails.
install_packages() {
  command -v apt-get >/dev/null || die "$* missing and apt-get unavailable: install $* by hand"
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; } ||
    die "apt-get install $* failed"
}

# Copies the runtime dependencies of Maven project $1 (a pom.xml) into folder $2, through ~/.m2,
# once: a folder marked complete is left alone. Java and Maven are installed when missing.
maven_install_jars() {
  local pom="$1" libs="$2"
  command -v java >/dev/null || install_packages openjdk-17-jre-headless
  command -v mvn >/dev/null || install_packages maven
  [[ -f "${libs}/.complete" ]] && return 0
  log "resolving the dependencies of ${pom} with Maven"
  rm -rf "${libs}"
  mkdir -p "${libs}"
  mvn -B -q -Dstyle.color=never -f "${pom}" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="${libs}" >&2 ||
    die "mvn dependency:copy-dependencies failed (see the Maven output above)"
}

# Marks a jar folder filled by maven_install_jars as complete, once its main jars ($2...) exist.
maven_mark_complete() {
  local libs="$1"
  shift
  ls "$@" >/dev/null || die "jars missing in ${libs} after Maven ran: $*"
  touch "${libs}/.complete"
  log "installed $(ls "${libs}" | wc -l) jars into ${libs}"
}

# Builds Go package $2 (module@version $3) into binary $1 from the Go module proxy, through a
# throw-away wrapper module named $4 that pins it as a Go tool; further arguments are
# `go mod edit` flags applied to the wrapper first (e.g. -replace for a module deleted upstream).
# Idempotent: an existing binary is left alone. The Go build and module caches keep rebuilds short.
go_install_tool() {
  local bin="$1" package="$2" module_at_version="$3" wrapper="$4"
  shift 4
  [[ -x "${bin}" ]] && return 0
  command -v go >/dev/null || die "go is missing: install Go (https://go.dev/dl/)"
  local work
  work="$(mktemp -d)"
  log "building ${package} (${module_at_version#*@}) with $(go version | cut -d' ' -f3) (minutes the first time)"
  (
    cd "${work}"
    go mod init "${wrapper}" >&2
    (($# == 0)) || go mod edit "$@"
    go get -tool "${module_at_version}" >&2
    mkdir -p "$(dirname "${bin}")"
    CGO_ENABLED=0 go build -trimpath -o "${bin}.tmp" "${package}" >&2
  ) || { rm -rf "${work}"; die "go build of ${package} failed (see the output above)"; }
  rm -rf "${work}"
  mv "${bin}.tmp" "${bin}"
  log "built ${bin}"
}

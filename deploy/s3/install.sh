#!/usr/bin/env bash
# Installs s3proxy and its dependencies (Maven Central via ~/.m2) into deploy/.cache/.
# Idempotent: a complete cache for the pinned version is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

install_packages() {
  command -v apt-get >/dev/null || die "$* missing and apt-get unavailable: install $* by hand"
  log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; } ||
    die "apt-get install $* failed"
}

command -v java >/dev/null || install_packages openjdk-17-jre-headless
command -v mvn >/dev/null || install_packages maven
command -v curl >/dev/null || install_packages curl

if [[ -f "${S3_LIBS}/.complete" ]]; then
  exit 0
fi

log "resolving org.gaul:s3proxy:${S3PROXY_VERSION} with Maven"
rm -rf "${S3_LIBS}"
mkdir -p "${S3_LIBS}"
if ! mvn -B -q -Dstyle.color=never -f "${S3_DEPLOY_DIR}/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="${S3_LIBS}" >&2; then
  die "mvn dependency:copy-dependencies failed (see the Maven output above)"
fi
ls "${S3_LIBS}/s3proxy-${S3PROXY_VERSION}.jar" >/dev/null ||
  die "s3proxy jar missing in ${S3_LIBS} after Maven ran"
touch "${S3_LIBS}/.complete"
log "installed $(ls "${S3_LIBS}" | wc -l) jars into ${S3_LIBS}"

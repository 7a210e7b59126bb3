#!/usr/bin/env bash
# Installs the Kafka broker and tools jars (Maven Central via ~/.m2) into deploy/.cache/.
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

if [[ -f "${KAFKA_LIBS}/.complete" ]]; then
  exit 0
fi

log "resolving org.apache.kafka:kafka_2.13:${KAFKA_VERSION} and kafka-tools with Maven"
rm -rf "${KAFKA_LIBS}"
mkdir -p "${KAFKA_LIBS}"
if ! mvn -B -q -Dstyle.color=never -f "${KAFKA_DIR}/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="${KAFKA_LIBS}" >&2; then
  die "mvn dependency:copy-dependencies failed (see the Maven output above)"
fi
ls "${KAFKA_LIBS}"/kafka_2.13-*.jar "${KAFKA_LIBS}"/kafka-tools-*.jar >/dev/null ||
  die "Kafka jars missing in ${KAFKA_LIBS} after Maven ran"
touch "${KAFKA_LIBS}/.complete"
log "installed $(ls "${KAFKA_LIBS}" | wc -l) jars into ${KAFKA_LIBS}"

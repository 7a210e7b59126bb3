#!/usr/bin/env bash
# Installs the Kafka broker and tools jars (Maven Central via ~/.m2) into deploy/.cache/.
# Idempotent: a complete cache for the pinned version is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

[[ -f "${KAFKA_LIBS}/.complete" ]] && command -v java >/dev/null && exit 0
maven_install_jars "${KAFKA_DIR}/pom.xml" "${KAFKA_LIBS}"
maven_mark_complete "${KAFKA_LIBS}" "${KAFKA_LIBS}"/kafka_2.13-*.jar "${KAFKA_LIBS}"/kafka-tools-*.jar

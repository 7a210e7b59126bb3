#!/usr/bin/env bash
# Installs s3proxy and its dependencies (Maven Central via ~/.m2) into deploy/.cache/.
# Idempotent: a complete cache for the pinned version is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

command -v curl >/dev/null || install_packages curl
[[ -f "${S3_LIBS}/.complete" ]] && command -v java >/dev/null && exit 0
maven_install_jars "${S3_DEPLOY_DIR}/pom.xml" "${S3_LIBS}"
maven_mark_complete "${S3_LIBS}" "${S3_LIBS}/s3proxy-${S3PROXY_VERSION}.jar"

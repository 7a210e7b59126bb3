#!/usr/bin/env bash
# Installs grpcurl (a gRPC client that works by server reflection; MIT) for the reflection tests,
# built from the Go module proxy into deploy/.cache/bin, once per version. Prints its path.
set -euo pipefail
SERVICE=grpcurl
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib.sh"

GRPCURL_VERSION="v1.9.4"
BIN_DIR="${CACHE_DIR}/bin"
target="${BIN_DIR}/grpcurl-${GRPCURL_VERSION}"
if [[ ! -x "${target}" ]]; then
  command -v go >/dev/null || die "go is not installed: grpcurl is built with the Go toolchain"
  log "building grpcurl ${GRPCURL_VERSION} (Go module proxy; cached in Go's module cache)"
  tmp="$(mktemp -d)"
  GOBIN="${tmp}" go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@${GRPCURL_VERSION}" >&2 ||
    die "go install grpcurl failed"
  mkdir -p "${BIN_DIR}"
  mv "${tmp}/grpcurl" "${target}"
  rm -rf "${tmp}"
fi
ln -sf "$(basename "${target}")" "${BIN_DIR}/grpcurl"
echo "${BIN_DIR}/grpcurl"

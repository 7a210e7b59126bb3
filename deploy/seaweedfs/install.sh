#!/usr/bin/env bash
# Builds SeaweedFS's `weed` binary (github.com/seaweedfs/seaweedfs/weed, pinned in env.sh) from the
# Go module proxy into deploy/.cache/bin/, through a throw-away wrapper module that pins it as a Go
# tool. Idempotent: an existing binary for the pinned version is left alone. A cold build takes
# many minutes (SeaweedFS links hundreds of modules); the Go build and module caches keep later
# builds short.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

[[ -x "${SEAWEEDFS_BIN}" ]] && exit 0
command -v go >/dev/null || die "go is missing: install Go 1.26.6+ (https://go.dev/dl/)"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
log "building weed ${SEAWEEDFS_RELEASE} (${SEAWEEDFS_VERSION}) with $(go version | cut -d' ' -f3) (many minutes the first time)"
(
  cd "${work}"
  go mod init analytics.local/seaweedfs-tool >&2
  # SeaweedFS's own go.mod replaces this module, deleted upstream, by an API-compatible fork; a
  # dependency's replace directives do not apply to the module that requires it, so repeat it.
  go mod edit -replace github.com/tyler-smith/go-bip39=github.com/cosmos/go-bip39@v1.0.0
  go get -tool "${SEAWEEDFS_MODULE}/weed@${SEAWEEDFS_VERSION}" >&2
  mkdir -p "$(dirname "${SEAWEEDFS_BIN}")"
  CGO_ENABLED=0 go build -trimpath -o "${SEAWEEDFS_BIN}.tmp" "${SEAWEEDFS_MODULE}/weed" >&2
) || die "go build of weed ${SEAWEEDFS_VERSION} failed (see the output above)"
mv "${SEAWEEDFS_BIN}.tmp" "${SEAWEEDFS_BIN}"
log "built ${SEAWEEDFS_BIN}"

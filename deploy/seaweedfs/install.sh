#!/usr/bin/env bash
# Builds SeaweedFS's `weed` binary (github.com/seaweedfs/seaweedfs/weed, pinned in env.sh) from the
# Go module proxy into deploy/.cache/bin/ (go_install_tool in deploy/lib.sh). Idempotent: an
# existing binary for the pinned version is left alone. A cold build takes many minutes (SeaweedFS
# links hundreds of modules); the Go build and module caches keep later builds short.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# SeaweedFS's own go.mod replaces this module, deleted upstream, by an API-compatible fork; a
# dependency's replace directives do not apply to the module that requires it, so repeat it.
go_install_tool "${SEAWEEDFS_BIN}" "${SEAWEEDFS_MODULE}/weed" \
  "${SEAWEEDFS_MODULE}/weed@${SEAWEEDFS_VERSION}" analytics.local/seaweedfs-tool \
  -replace github.com/tyler-smith/go-bip39=github.com/cosmos/go-bip39@v1.0.0

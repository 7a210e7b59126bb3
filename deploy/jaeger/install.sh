#!/usr/bin/env bash
# Builds the Jaeger v2 binary (github.com/jaegertracing/jaeger/cmd/jaeger, pinned in env.sh) from
# the Go module proxy into deploy/.cache/bin/, through a throw-away wrapper module that pins it as
# a Go tool. Idempotent: an existing binary for the pinned version is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

[[ -x "${JAEGER_BIN}" ]] && exit 0
command -v go >/dev/null || die "go is missing: install Go 1.24+ (https://go.dev/dl/)"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
log "building jaeger ${JAEGER_VERSION} with $(go version | cut -d' ' -f3) (a few minutes the first time)"
(
  cd "${work}"
  go mod init analytics.local/jaeger-tool >&2
  go get -tool "github.com/jaegertracing/jaeger/cmd/jaeger@${JAEGER_VERSION}" >&2
  mkdir -p "$(dirname "${JAEGER_BIN}")"
  CGO_ENABLED=0 go build -trimpath -o "${JAEGER_BIN}.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
) || die "go build of jaeger ${JAEGER_VERSION} failed (see the output above)"
mv "${JAEGER_BIN}.tmp" "${JAEGER_BIN}"
log "built ${JAEGER_BIN}"

#!/usr/bin/env bash
# Builds the Jaeger v2 binary (github.com/jaegertracing/jaeger/cmd/jaeger, pinned in env.sh) from
# the Go module proxy into deploy/.cache/bin/ (go_install_tool in deploy/lib.sh). Idempotent: an
# existing binary for the pinned version is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

go_install_tool "${JAEGER_BIN}" github.com/jaegertracing/jaeger/cmd/jaeger \
  "github.com/jaegertracing/jaeger/cmd/jaeger@${JAEGER_VERSION}" analytics.local/jaeger-tool

#!/usr/bin/env bash
# "Starts" Chromium for the browser tests: there is no server (each test launches its own
# headless browser through playwright-core), so this installs Debian's chromium when missing and
# prints CHROMIUM_PATH=<binary> on stdout (for up.sh). Idempotent: an installed chromium is kept.
set -euo pipefail
SERVICE=chromium
# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "${CHROMIUM_PATH}" ]]; then
  [[ "${CHROMIUM_PATH}" == /usr/bin/chromium ]] ||
    die "CHROMIUM_PATH=${CHROMIUM_PATH} is not an executable (unset it to install Debian's chromium)"
  install_packages chromium
fi
# Debian's wrapper script prints a harmless shell warning on stderr; the version is on stdout.
version="$("${CHROMIUM_PATH}" --version 2>/dev/null)" || die "${CHROMIUM_PATH} --version failed"
log "${version}"
echo "CHROMIUM_PATH=${CHROMIUM_PATH}"

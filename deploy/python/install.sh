#!/usr/bin/env bash
# Makes the Python venv with delta-rs (deltalake) and pyarrow under deploy/.cache/python-venv
# (pip's cache makes reinstalls fast) and prints DELTA_PYTHON=<path of its python> on stdout.
# Idempotent: a venv holding the pinned requirements is left alone.
set -euo pipefail
SERVICE=python
PYTHON_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
source "${PYTHON_DIR}/../lib.sh"

VENV="${CACHE_DIR}/python-venv"
STAMP="${VENV}/.requirements"
if [[ -x "${VENV}/bin/python" && -f "${STAMP}" ]] && cmp -s "${STAMP}" "${PYTHON_DIR}/requirements.txt"; then
  echo "DELTA_PYTHON=${VENV}/bin/python"
  exit 0
fi
command -v python3 >/dev/null || die "python3 is missing (apt-get install python3 python3-venv)"
python3 -m venv --help >/dev/null 2>&1 || die "python3 venv is missing (apt-get install python3-venv)"
log "creating ${VENV} with the packages of ${PYTHON_DIR}/requirements.txt"
python3 -m venv "${VENV}"
"${VENV}/bin/pip" install -q --disable-pip-version-check -r "${PYTHON_DIR}/requirements.txt" >&2 ||
  die "pip install -r ${PYTHON_DIR}/requirements.txt failed"
cp "${PYTHON_DIR}/requirements.txt" "${STAMP}"
echo "DELTA_PYTHON=${VENV}/bin/python"

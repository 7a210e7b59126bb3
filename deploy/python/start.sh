#!/usr/bin/env bash
# "Starts" the Python tools: there is no server, so this installs the venv (for up.sh).
exec bash "$(dirname "${BASH_SOURCE[0]}")/install.sh"

#!/usr/bin/env bash
# Nothing runs for the Python tools; present so down.sh can treat every service alike.
exit 0

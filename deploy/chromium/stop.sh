#!/usr/bin/env bash
# Nothing runs for Chromium between tests (each test closes its own browser); present so down.sh
# can treat every service alike.
exit 0

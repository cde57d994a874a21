#!/usr/bin/env bash
# Set up everything the test suite needs on a Debian machine, then run it.
# Usage: bash scripts/test.sh [pytest arguments]     (KUBENB_SKIP_APT=1 skips apt-get)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "${KUBENB_SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null; then
  need=()
  command -v dot >/dev/null || need+=(graphviz)
  command -v chromium >/dev/null || need+=(chromium)
  # The browser tests' screenshots of the Japanese notebooks need a Japanese font (else empty boxes).
  fc-list :lang=ja 2>/dev/null | grep -q . || need+=(fonts-ipafont-gothic)
  if [ ${#need[@]} -gt 0 ]; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/ruff check kubenb tests benchmarks
.venv/bin/lint-imports
# -m '' clears pyproject's -m 'not browser': this runs the whole suite, browser tests included
# (screenshots in tests/browser/artifacts/). To skip them: bash scripts/test.sh -m 'not browser'.
exec .venv/bin/python -m pytest -m '' "$@"

#!/usr/bin/env bash
# Set up kubenb and JupyterLab in .venv, then open the course.
# Usage: bash scripts/course.sh            (KUBENB_SKIP_APT=1 skips apt-get)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# graphviz draws the live graphs best; without it kubenb falls back to a simpler drawing.
if [ "${KUBENB_SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null && ! command -v dot >/dev/null; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null || \
    echo "kubenb: could not install graphviz; graphs will use the fallback renderer" >&2
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[course]'
.venv/bin/jupyter trust notebooks/*.ipynb notebooks/*/*.ipynb >/dev/null 2>&1 || true
exec .venv/bin/jupyter lab notebooks/index.ipynb "$@"

#!/usr/bin/env bash
# Prove the Binder setup: a fresh virtual environment built only from binder/ runs every course notebook
# and prints what the notebook saved (nbval, with the course's sanitizer).
# Usage: bash scripts/check_binder.sh        (needs python3.11 and PyPI; .ci/run calls it)
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PYTHON=${PYTHON:-python3}
"$PYTHON" -m venv "$work/venv"
unset PYTHONPATH
# As repo2docker does: pip runs from the repository root, so "." in requirements.txt is this checkout.
"$work/venv/bin/python" -m pip install -q --no-cache-dir -r binder/requirements.txt
# postBuild writes notebook signatures to the Jupyter data folder: keep them in the throwaway folder.
JUPYTER_DATA_DIR="$work/jupyter-data" PATH="$work/venv/bin:$PATH" bash binder/postBuild
# Only the test runner is added on top of what Binder installs.
"$work/venv/bin/python" -m pip install -q --no-cache-dir "pytest>=8" "nbval>=0.11"
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider -c /dev/null --rootdir=. \
  --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval-sanitize.cfg notebooks/en notebooks/ja
echo "check_binder: every notebook ran in a virtual environment built from binder/"

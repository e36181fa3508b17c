#!/usr/bin/env bash
# Installs the Python test tools (moto, cfn-lint) into .venv, once. Idempotent and quick when they are
# already there; the integration tests start and stop the moto server themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(grep -v '^#' scripts/requirements-tools.txt | tr -d '[:space:]')
stamp=.venv/.tools-installed
if [ -x .venv/bin/moto_server ] && [ -x .venv/bin/cfn-lint ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-tools.txt
echo "$want" > "$stamp"
echo "python tools installed into .venv: $(grep -v '^#' scripts/requirements-tools.txt | tr '\n' ' ')" >&2

#!/usr/bin/env bash
# Installs moto (the AWS emulator for the integration tests) into .venv, once. Idempotent and quick
# when it is already there; the integration tests start and stop the server themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(grep -v '^#' scripts/requirements-emulator.txt | tr -d '[:space:]')
stamp=.venv/.emulator-installed
if [ -x .venv/bin/moto_server ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-emulator.txt
echo "$want" > "$stamp"
echo "moto installed into .venv ($want)" >&2

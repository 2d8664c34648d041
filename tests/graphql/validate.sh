#!/usr/bin/env bash
# Runs validate.mjs with the graphql package from the source tree's node_modules.
set -euo pipefail
command -v node >/dev/null || { echo "node not installed: skipped"; exit 77; }
if [ ! -d "$OKDF_SRC/node_modules/graphql" ]; then
  echo "node_modules/graphql missing: run 'npm ci' in $OKDF_SRC" >&2
  exit 1
fi
cd "$OKDF_SRC"
exec node tests/graphql/validate.mjs

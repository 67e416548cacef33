#!/usr/bin/env bash
# Starts the portal on the embedded default: SQLite files under .data/ (or
# IDP_DATA_DIR), guest sign-in, the sample organisation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export IDP_DATA_DIR="${IDP_DATA_DIR:-$ROOT/.data/sqlite}"
mkdir -p "$IDP_DATA_DIR"
# Backstage opens a browser tab on start unless told not to.
export BROWSER="${BROWSER:-none}"

printf '\033[1;34m[idp]\033[0m Starting the portal: http://localhost:3000 (backend http://localhost:7007), data in %s\n' "$IDP_DATA_DIR" >&2
exec yarn start "$@"

#!/usr/bin/env bash
# Starts the portal on the embedded default: SQLite files under .data/ (or
# IDP_DATA_DIR), guest sign-in, the sample organisation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export IDP_DATA_DIR="${IDP_DATA_DIR:-$ROOT/.data/sqlite}"
mkdir -p "$IDP_DATA_DIR"
# The key that encrypts environment secrets: made once per data folder, so
# secrets work without a key in any committed file and survive restarts.
# Production sets ENVIRONMENTS_SECRETS_KEY itself (app-config.production.yaml).
if [[ -z "${ENVIRONMENTS_SECRETS_KEY:-}" ]]; then
  key_file="$IDP_DATA_DIR/environments-secrets.key"
  if [[ ! -s "$key_file" ]]; then
    (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))" >"$key_file")
  fi
  ENVIRONMENTS_SECRETS_KEY="$(cat "$key_file")"
  export ENVIRONMENTS_SECRETS_KEY
fi
# Backstage opens a browser tab on start unless told not to.
export BROWSER="${BROWSER:-none}"

printf '\033[1;34m[idp]\033[0m Starting the portal: http://localhost:3000 (backend http://localhost:7007), data in %s\n' "$IDP_DATA_DIR" >&2
exec yarn start "$@"

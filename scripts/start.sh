#!/usr/bin/env bash
# Starts the portal on the embedded default: SQLite files under .data/ (or
# IDP_DATA_DIR), guest sign-in, the sample organisation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1;34m[idp]\033[0m %s\n' "$*" >&2; }
source scripts/image-tools.sh

export IDP_DATA_DIR="${IDP_DATA_DIR:-$ROOT/.data/sqlite}"
mkdir -p "$IDP_DATA_DIR"
# Absolute: app-config.yaml builds file:// URLs from it.
IDP_DATA_DIR="$(cd "$IDP_DATA_DIR" && pwd)"
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
# The sample services' repositories (examples/repos) as local git
# repositories: app-config.yaml sends clones of github.com/launchpad-examples
# there (pipelines.git.rewrites), so their pipelines run without GitHub.
# Made once per data folder; later pushes to them are kept.
materialize_sample_repos() {
  local source name target work
  for source in examples/repos/*/; do
    name="$(basename "$source")"
    target="$IDP_DATA_DIR/repos/$name"
    [[ -d "$target" ]] && continue
    work="$(mktemp -d)"
    cp -r "$source." "$work/"
    git -C "$work" init -q -b main
    git -C "$work" add -A
    git -C "$work" -c user.name=Launchpad -c user.email=launchpad@example.com \
      commit -q -m "The sample $name service"
    git clone -q --bare "$work" "$target"
    rm -rf "$work"
  done
}
materialize_sample_repos
# Image stages push to a registry on loopback (pipelines.images.registry in
# app-config.yaml); without buildah and docker-registry they fail, saying so.
if [[ -z "${PIPELINES_REGISTRY_HOST:-}" ]]; then
  registry_port="${IDP_REGISTRY_PORT:-5000}"
  if ensure_image_tools; then
    start_local_registry "$registry_port" "$IDP_DATA_DIR/registry" || true
  else
    log "buildah and docker-registry could not be installed: image stages will fail"
  fi
  export PIPELINES_REGISTRY_HOST="127.0.0.1:$registry_port"
fi
# Backstage opens a browser tab on start unless told not to.
export BROWSER="${BROWSER:-none}"

log "Starting the portal: http://localhost:3000 (backend http://localhost:7007), data in $IDP_DATA_DIR"
exec yarn start "$@"

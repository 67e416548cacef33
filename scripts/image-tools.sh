# Sourced by start.sh and test.sh: Debian's buildah and docker-registry, which
# image stages build and push with (there is no Docker engine), a local
# registry for the embedded default, and the apt install both scripts use.

# Installs Debian packages with apt (through sudo when not root). Returns
# non-zero (without exiting) when they cannot be installed.
apt_install() {
  command -v apt-get >/dev/null || return 1
  local sudo=()
  [[ "$(id -u)" != 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$@" >/dev/null
}

# Installs buildah and docker-registry with apt when they are missing.
# Returns non-zero (without exiting) when they cannot be installed.
ensure_image_tools() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  if ((${#missing[@]} == 0)); then return 0; fi
  log "Installing ${missing[*]} (image stages build and push with them)"
  apt_install "${missing[@]}"
}

# Whether something listens on 127.0.0.1:<port> (bash's /dev/tcp: no curl needed).
port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts Debian's docker-registry on 127.0.0.1:<port>, storing images in
# <dir>, unless a registry answers there already. It runs in the caller's
# process group, so it stops with the portal.
start_local_registry() {
  local port="$1" dir="$2"
  if port_answers "$port"; then
    log "Something listens on 127.0.0.1:$port already; image stages push there"
    return 0
  fi
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
  docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 &
  local i
  for i in $(seq 1 50); do
    if port_answers "$port"; then
      log "Image registry for pipeline runs: 127.0.0.1:$port (images in $dir)"
      return 0
    fi
    sleep 0.1
  done
  log "The image registry did not start (see $dir/registry.log); image stages will fail to push"
  return 1
}

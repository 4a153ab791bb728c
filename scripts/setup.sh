#!/usr/bin/env bash
# Installs everything Streamkeeper needs on Debian, then builds it. Idempotent, and quick when nothing changed:
#   - Debian packages zookeeper, kcat and docker-compose, and the toolchain that builds the native ZooKeeper
#     client during npm install (g++, make, python3), when missing (one apt-get update, only then);
#   - npm install, when node_modules is missing or package.json or package-lock.json is newer than
#     node_modules/.package-lock.json;
#   - npm run build, when a source is newer than the last successful build (dist/.build-stamp).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "setup: $*"; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for pkg in zookeeper kcat docker-compose g++ make python3; do
  installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  # --no-install-recommends: docker-compose would otherwise pull in docker.io, which nothing here needs.
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  # Streamkeeper runs its own ZooKeeper servers (zk/start.sh); keep a packaged system service off port 2181.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet zookeeper 2>/dev/null; then
    "${sudo[@]}" systemctl stop zookeeper || true
  fi
else
  log "Debian packages present (zookeeper, kcat, docker-compose, g++, make, python3)"
fi

if [[ ! -d node_modules || ! -f node_modules/.package-lock.json || package.json -nt node_modules/.package-lock.json ]] ||
  [[ -f package-lock.json && package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm install"
  npm install --no-audit --no-fund
else
  log "node_modules up to date"
fi

STAMP=dist/.build-stamp
sources=(src test tsconfig.json package.json)
[[ -d bench ]] && sources+=(bench)
if [[ ! -f "$STAMP" ]] || [[ -n "$(find "${sources[@]}" -newer "$STAMP" -print -quit)" ]]; then
  log "npm run build"
  mkdir -p dist
  touch "$STAMP.new" # taken before compiling, so an edit made during the build triggers the next one
  npm run build
  mv "$STAMP.new" "$STAMP"
else
  log "build up to date"
fi

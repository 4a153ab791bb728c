#!/usr/bin/env bash
# Installs Debian's ZooKeeper package unless it is already present. Safe to run repeatedly.
set -euo pipefail

if [[ -f /usr/share/java/zookeeper.jar && -f /usr/share/zookeeper/bin/zkEnv.sh ]]; then
  echo "zookeeper: already installed (/usr/share/java/zookeeper.jar)"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "zookeeper: not installed, and installing it needs root (no sudo available)" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends zookeeper default-jre-headless

# The package ships a system service; Streamkeeper runs its own servers through zk/start.sh.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet zookeeper 2>/dev/null; then
  "${SUDO[@]}" systemctl stop zookeeper || true
fi
echo "zookeeper: installed"

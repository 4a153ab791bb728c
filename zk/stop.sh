#!/usr/bin/env bash
# Stops a ZooKeeper server started by zk/start.sh:  zk/stop.sh --data-dir D [--timeout-s S]
set -euo pipefail

DATA_DIR=""
TIMEOUT_S=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data-dir) DATA_DIR="${2:?$1 needs a value}"; shift 2 ;;
    --timeout-s) TIMEOUT_S="${2:?$1 needs a value}"; shift 2 ;;
    *) echo "usage: $0 --data-dir D [--timeout-s S]" >&2; exit 2 ;;
  esac
done
[[ -n "$DATA_DIR" ]] || { echo "stop.sh: --data-dir is required" >&2; exit 2; }

PIDFILE="$DATA_DIR/zookeeper.pid"
if [[ ! -f "$PIDFILE" ]]; then
  echo "stop.sh: no pid file at $PIDFILE; nothing to stop"
  exit 0
fi
PID="$(cat "$PIDFILE")"
if ! kill -0 "$PID" 2>/dev/null; then
  echo "stop.sh: ZooKeeper (pid $PID) is not running"
  rm -f "$PIDFILE"
  exit 0
fi

kill -TERM "$PID"
deadline=$((SECONDS + TIMEOUT_S))
while kill -0 "$PID" 2>/dev/null; do
  if (( SECONDS >= deadline )); then
    echo "stop.sh: pid $PID did not exit after ${TIMEOUT_S}s; sending SIGKILL" >&2
    kill -KILL "$PID" 2>/dev/null || true
    break
  fi
  sleep 0.1
done
rm -f "$PIDFILE"
echo "ZooKeeper stopped (pid $PID)"

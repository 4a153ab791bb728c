#!/usr/bin/env bash
# Starts a standalone ZooKeeper server for Streamkeeper.
#   zk/start.sh --port P --data-dir D [--tick-ms T] [--foreground] [--timeout-s S]
# Writes D/zoo.cfg from zk/zoo.cfg, keeps snapshots in D/data, logs to D/zookeeper.log and the pid in
# D/zookeeper.pid, then waits until the server answers `ruok` with `imok`.
# --tick-ms (default 2000) sets tickTime; minSessionTimeout is 2 ticks, so --tick-ms 500 allows 1 s sessions.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=2181
DATA_DIR=""
TICK_MS=2000
FOREGROUND=0
TIMEOUT_S=30

usage() { echo "usage: $0 --port P --data-dir D [--tick-ms T] [--foreground] [--timeout-s S]" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) PORT="${2:?$1 needs a value}"; shift 2 ;;
    --data-dir) DATA_DIR="${2:?$1 needs a value}"; shift 2 ;;
    --tick-ms) TICK_MS="${2:?$1 needs a value}"; shift 2 ;;
    --timeout-s) TIMEOUT_S="${2:?$1 needs a value}"; shift 2 ;;
    --foreground) FOREGROUND=1; shift ;;
    -h|--help) usage ;;
    *) echo "start.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ -n "$DATA_DIR" ]] || { echo "start.sh: --data-dir is required" >&2; usage; }
[[ "$PORT" =~ ^[0-9]+$ && "$TICK_MS" =~ ^[0-9]+$ ]] || { echo "start.sh: --port and --tick-ms must be numbers" >&2; exit 2; }

ZKENV=/usr/share/zookeeper/bin/zkEnv.sh
if [[ ! -f /usr/share/java/zookeeper.jar || ! -f "$ZKENV" ]]; then
  echo "start.sh: ZooKeeper is not installed; run zk/install.sh first" >&2
  exit 1
fi
command -v java >/dev/null 2>&1 || { echo "start.sh: java not found on PATH" >&2; exit 1; }

mkdir -p "$DATA_DIR/data"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
CFG="$DATA_DIR/zoo.cfg"
LOG="$DATA_DIR/zookeeper.log"
PIDFILE="$DATA_DIR/zookeeper.pid"

if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "start.sh: ZooKeeper already running with pid $(cat "$PIDFILE") for $DATA_DIR" >&2
  exit 1
fi

MIN_SESSION_MS=$((TICK_MS * 2))
MAX_SESSION_MS=$((TICK_MS * 20))
(( MAX_SESSION_MS >= 60000 )) || MAX_SESSION_MS=60000
sed -e "s|@TICK_MS@|$TICK_MS|" -e "s|@PORT@|$PORT|" -e "s|@DATA_DIR@|$DATA_DIR/data|" \
    -e "s|@MIN_SESSION_MS@|$MIN_SESSION_MS|" -e "s|@MAX_SESSION_MS@|$MAX_SESSION_MS|" \
    "$HERE/zoo.cfg" > "$CFG"

# zkEnv.sh defines CLASSPATH (config dir + zookeeper.jar, whose manifest lists the dependencies).
# shellcheck disable=SC1090
CLASSPATH="$(set +u; source "$ZKENV" >/dev/null 2>&1; echo "$CLASSPATH")"
# Debian's jar names no slf4j binding; add log4j 1.2 when present so the server log is not silent.
for jar in /usr/share/java/slf4j-log4j12.jar /usr/share/java/log4j-1.2.jar; do
  [[ -f "$jar" ]] && CLASSPATH="$CLASSPATH:$jar"
done
JAVA_ARGS=(-Xms32m -Xmx256m -XX:+UseSerialGC -Djava.awt.headless=true
  -Dzookeeper.log.dir="$DATA_DIR" -Dzookeeper.root.logger=INFO,CONSOLE
  -Dzookeeper.jmx.log4j.disable=true
  -cp "$CLASSPATH" org.apache.zookeeper.server.ZooKeeperServerMain "$CFG")

if [[ "$FOREGROUND" -eq 1 ]]; then
  echo $$ > "$PIDFILE"
  exec java "${JAVA_ARGS[@]}"
fi

ruok() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT && printf ruok >&3 && cat <&3" 2>/dev/null || true
}

if [[ "$(ruok)" == "imok" ]]; then
  echo "start.sh: port $PORT already has a ZooKeeper server answering" >&2
  exit 1
fi

nohup java "${JAVA_ARGS[@]}" >"$LOG" 2>&1 </dev/null &
PID=$!
echo "$PID" > "$PIDFILE"

deadline=$((SECONDS + TIMEOUT_S))
while (( SECONDS < deadline )); do
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "start.sh: ZooKeeper exited during startup; last lines of $LOG:" >&2
    tail -n 20 "$LOG" >&2 || true
    rm -f "$PIDFILE"
    exit 1
  fi
  if [[ "$(ruok)" == "imok" ]]; then
    echo "ZooKeeper started on port $PORT (pid $PID, data $DATA_DIR)"
    exit 0
  fi
  sleep 0.2
done

echo "start.sh: ZooKeeper did not answer ruok on port $PORT within ${TIMEOUT_S}s; see $LOG" >&2
kill "$PID" 2>/dev/null || true
rm -f "$PIDFILE"
exit 1

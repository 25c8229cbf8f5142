#!/usr/bin/env bash
# Installs (when missing) and starts the infrastructure the services and tests need, on loopback, idempotently:
# RabbitMQ from the Debian package and mongo-java-server (a MongoDB wire-protocol server run on the JVM).
# Waits until both really answer. Variables: MONGO_PORT (27017), MONGO_DATA_FILE (unset = in memory),
# INFRA_STATE_DIR (where logs and pid files go; default .infra in the repository).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="${INFRA_STATE_DIR:-$root/.infra}"
mongo_port="${MONGO_PORT:-27017}"
mkdir -p "$state"

log() { printf '[infra] %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    log "installing rabbitmq-server (Debian package)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq rabbitmq-server >/dev/null
  fi
  if as_root rabbitmqctl -q status >/dev/null 2>&1; then
    log "rabbitmq already running"
  else
    log "starting rabbitmq"
    as_root rabbitmq-server -detached
  fi
  # await_startup needs a reachable node, and a detached node takes a moment to register with epmd.
  for _ in $(seq 1 60); do
    if as_root rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1; then
      log "rabbitmq ready on 127.0.0.1:5672"
      return
    fi
    sleep 1
  done
  echo "[infra] rabbitmq did not start; see /var/log/rabbitmq" >&2
  exit 1
}

ensure_mongo() {
  local cp_file="$state/mongo-server.classpath"
  if [ ! -s "$cp_file" ]; then
    command -v mvn >/dev/null 2>&1 || { echo "[infra] Maven is required to fetch mongo-java-server" >&2; exit 1; }
    log "resolving mongo-java-server with Maven"
    mvn -q -B -f "$here/mongo-server/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
  fi
  if port_open "$mongo_port"; then
    log "something already listens on $mongo_port; assuming it is the MongoDB server"
  else
    log "starting mongo-java-server on 127.0.0.1:$mongo_port"
    local args=("$mongo_port")
    [ -n "${MONGO_DATA_FILE:-}" ] && args+=("$MONGO_DATA_FILE")
    nohup java -Xmx2g -cp "$(cat "$cp_file")" "$here/mongo-server/MongoTestServer.java" "${args[@]}" \
      >"$state/mongo-server.log" 2>&1 &
    echo $! >"$state/mongo-server.pid"
  fi
  for _ in $(seq 1 120); do
    if port_open "$mongo_port"; then log "mongodb-compatible server ready on 127.0.0.1:$mongo_port"; return; fi
    sleep 0.5
  done
  echo "[infra] the MongoDB-compatible server did not start; see $state/mongo-server.log" >&2
  exit 1
}

ensure_rabbitmq
ensure_mongo

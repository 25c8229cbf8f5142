#!/usr/bin/env bash
# Installs (when missing) and starts the infrastructure the services and tests need, on loopback, idempotently:
# RabbitMQ, a Java runtime and Maven from Debian packages, and mongo-java-server (a MongoDB wire-protocol server run
# on the JVM, fetched with Maven). Waits until both really answer.
# Variables: MONGO_PORT (27017); MONGO_STORE: durable (default: the data is kept in MONGO_DATA_FILE, default
# .infra/data/crm.mv.db) or memory (tests); INFRA_STATE_DIR (logs, pid files, classpath; default .infra).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/mongo-process.sh"

mongo_port="${MONGO_PORT:-27017}"
case "${MONGO_STORE:-durable}" in
  durable) store="$infra_data_file" ;;
  memory) store=memory ;;
  *) die "MONGO_STORE must be durable or memory, not '${MONGO_STORE}'" ;;
esac
describe() { if [ "$1" = memory ]; then printf 'in memory'; else printf 'durable, data in %s' "$1"; fi; }

rabbitmq_ctl() { as_root rabbitmqctl "$@"; }

ensure_rabbitmq() {
  # Debian installs it in /usr/sbin, which a normal user's PATH may lack.
  if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
    apt_install rabbitmq-server
  fi
  PATH="$PATH:/usr/sbin"
  if rabbitmq_ctl -q status >/dev/null 2>&1; then
    log "rabbitmq already running"
  else
    log "starting rabbitmq"
    as_root rabbitmq-server -detached
    # infra-down.sh stops only a node this script started.
    touch "$infra_state/rabbitmq.started-here"
  fi
  # await_startup needs a reachable node, and a detached node takes a moment to register with epmd.
  for _ in $(seq 1 60); do
    if rabbitmq_ctl -q await_startup --timeout 60 >/dev/null 2>&1; then
      log "rabbitmq ready on 127.0.0.1:5672"
      return
    fi
    sleep 1
  done
  die "rabbitmq did not start; see /var/log/rabbitmq"
}

ensure_mongo() {
  ensure_mongo_classpath
  if port_open "$mongo_port"; then
    local pid recorded
    pid="$(recorded_mongo_pid "$mongo_port")"
    if [ -z "$pid" ]; then
      log "something this checkout did not start already listens on 127.0.0.1:$mongo_port; using it as it is," \
        "though it may not be the store asked for ($(describe "$store")); 'npm run infra:down' will not stop it"
      return
    fi
    recorded="$(cat "$(mongo_store_record "$mongo_port")")"
    [ "$recorded" = "$store" ] ||
      die "127.0.0.1:$mongo_port already runs mongo-java-server ($(describe "$recorded")), not $(describe "$store"): stop it with 'npm run infra:down' first, or use another MONGO_PORT"
    log "mongo-java-server already running on 127.0.0.1:$mongo_port ($(describe "$store"))"
    return
  fi
  log "starting mongo-java-server on 127.0.0.1:$mongo_port ($(describe "$store"))"
  start_mongo "$mongo_port" "$store"
  log "mongodb-compatible server ready on 127.0.0.1:$mongo_port"
}

ensure_rabbitmq
ensure_mongo

#!/usr/bin/env bash
# Runs a command with RabbitMQ and a MongoDB server available: MONGO_URL / AMQP_URL as given, else the loopback
# servers started by infra-up.sh. With a Docker engine and neither URL set, the tests' global setup would start
# containers instead, so then nothing is started here.
# Usage: with-infra.sh [--tests] command...; --tests uses an in-memory server of its own (TEST_MONGO_PORT, 27018),
# so test databases never mix with the durable data of npm start (27017) and both can run at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ "${1:-}" = --tests ]; then
  shift
  export MONGO_PORT="${TEST_MONGO_PORT:-27018}" MONGO_STORE=memory
fi

docker_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

if [ -z "${MONGO_URL:-}" ] || [ -z "${AMQP_URL:-}" ]; then
  if [ "${TESTCONTAINERS:-}" = "1" ] && docker_answers; then
    echo "[infra] Docker answers and TESTCONTAINERS=1: the tests start their own containers"
  else
    bash "$here/infra-up.sh"
    export MONGO_URL="${MONGO_URL:-mongodb://127.0.0.1:${MONGO_PORT:-27017}}"
    export AMQP_URL="${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}"
  fi
fi
exec "$@"

# Sourced: starts and stops MongoTestServer processes and remembers, per port, the pid and the store
# ("memory" or the data file) of the one this checkout started.
source "$(dirname "${BASH_SOURCE[0]}")/java-tools.sh"

mongo_pid_file() { printf '%s/mongo-%s.pid' "$infra_state" "$1"; }
mongo_store_record() { printf '%s/mongo-%s.store' "$infra_state" "$1"; }
mongo_log_file() { printf '%s/mongo-%s.log' "$infra_state" "$1"; }

# True when the pid is a live MongoTestServer (a recorded pid may belong to another program after a reboot).
is_mongo_server() { [ -n "$1" ] && tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -q MongoTestServer; }

# The pid of the live server this checkout started on a port, if any.
recorded_mongo_pid() {
  local pid
  pid="$(cat "$(mongo_pid_file "$1")" 2>/dev/null || true)"
  if is_mongo_server "$pid"; then printf '%s' "$pid"; fi
}

# stop_mongo_pid <pid>: SIGTERM (the store is closed cleanly), then SIGKILL after 15 s (still safe: every
# acknowledged write is already committed).
stop_mongo_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 150); do is_mongo_server "$1" || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

# start_mongo <port> <store>: store is "memory" or a data file. Waits until the server answers.
start_mongo() {
  local port="$1" store="$2" args=("$1") log_file
  log_file="$(mongo_log_file "$port")"
  ensure_mongo_classpath
  if [ "$store" != memory ]; then
    mkdir -p "$(dirname "$store")"
    args+=("$store")
  fi
  nohup java -Xmx2g -cp "$(cat "$mongo_classpath_file")" "$infra_here/mongo-server/MongoTestServer.java" "${args[@]}" \
    >"$log_file" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$(mongo_pid_file "$port")"
  echo "$store" >"$(mongo_store_record "$port")"
  for _ in $(seq 1 240); do
    if port_open "$port"; then return 0; fi
    # kill -0, not is_mongo_server: until nohup execs java, the child still shows the shell's command line.
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 5 "$log_file" >&2
      die "mongo-java-server exited at start; see $log_file"
    fi
    sleep 0.25
  done
  die "mongo-java-server did not answer on 127.0.0.1:$port within 60 s; see $log_file"
}

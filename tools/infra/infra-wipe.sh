#!/usr/bin/env bash
# Deletes the durable store npm start keeps its data in (MONGO_DATA_FILE, default .infra/data/crm.mv.db): every
# database in it (crm_lead_intake, crm_qualification, crm_deals, crm_reporting and any other written there).
# Stops the server using that file first, prints each file it deletes, then deletes it. RabbitMQ is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/mongo-process.sh"

file="$infra_data_file"

# Any MongoTestServer that has the file open, whether infra-up.sh or a person started it.
uses_file() {
  local fd
  for fd in /proc/"$1"/fd/*; do [ "$(readlink "$fd" 2>/dev/null)" = "$file" ] && return 0; done
  return 1
}
for proc in /proc/[0-9]*; do
  pid="${proc#/proc/}"
  if is_mongo_server "$pid" && uses_file "$pid"; then
    log "stopping mongo-java-server (pid $pid), which uses $file"
    stop_mongo_pid "$pid"
  fi
done

deleted=0
# MVStore writes only the file itself, plus these two while it compacts.
for path in "$file" "$file.tempFile" "$file.newFile"; do
  if [ -e "$path" ]; then
    log "deleting $path ($(du -h "$path" | cut -f1): every database of the durable store)"
    rm -f "$path"
    deleted=1
  fi
done
if [ "$deleted" = 0 ]; then log "nothing to delete: $file does not exist"; fi
log "the next 'npm start' or 'npm run infra:up' starts with an empty store"

#!/usr/bin/env bash
# Prints the path of the file holding mongo-java-server's Java classpath, resolving it with Maven (and installing
# a Java runtime and Maven) first when needed. Start a server by hand with:
#   java -cp "$(cat "$(bash tools/infra/mongo-classpath.sh)")" tools/infra/mongo-server/MongoTestServer.java PORT [H2-FILE]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/java-tools.sh"
ensure_mongo_classpath >&2
printf '%s\n' "$mongo_classpath_file"

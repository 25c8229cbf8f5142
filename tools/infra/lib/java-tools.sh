# Sourced: makes sure a Java runtime and Maven are installed (Debian packages) and writes the classpath of
# mongo-java-server (resolved by Maven) to $infra_state/mongo-server.classpath, which infra-up.sh, the durable-store
# test, the persistence benchmark and anyone starting MongoTestServer by hand read.
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"

mongo_classpath_file="$infra_state/mongo-server.classpath"

ensure_java_tools() {
  local missing=()
  # Debian's Java runtime carries the compiler module the launcher's source-file mode needs.
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  [ "${#missing[@]}" -eq 0 ] || apt_install "${missing[@]}"
}

ensure_mongo_classpath() {
  [ -s "$mongo_classpath_file" ] && return
  ensure_java_tools
  log "resolving mongo-java-server with Maven"
  # Maven's output goes to a log: even with -q it writes terminal escape codes.
  mvn -B -f "$infra_here/mongo-server/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="$mongo_classpath_file.partial" >"$infra_state/maven.log" 2>&1 ||
    { tail -n 20 "$infra_state/maven.log" >&2; die "Maven could not resolve mongo-java-server; see $infra_state/maven.log"; }
  mv "$mongo_classpath_file.partial" "$mongo_classpath_file"
}

# Sourced by the tools/infra scripts: where things live, logging, and who may install and start system services.
# INFRA_STATE_DIR (default .infra in the repository) holds logs, pid files, the Maven classpath and, by default,
# the durable store's data (INFRA_STATE_DIR/data).
infra_here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
infra_root="$(cd "$infra_here/../.." && pwd)"
infra_state="${INFRA_STATE_DIR:-$infra_root/.infra}"
mkdir -p "$infra_state"
infra_state="$(cd "$infra_state" && pwd)"
# The durable store npm start uses; MONGO_DATA_FILE moves it.
infra_data_file="$(realpath -m "${MONGO_DATA_FILE:-$infra_state/data/crm.mv.db}")"

log() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Runs a command as root: directly when root, else through sudo; says so plainly when neither is possible.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "'$*' needs root, and this user is not root and has no sudo: run it as root, or install sudo, or do that step by hand"
  fi
}

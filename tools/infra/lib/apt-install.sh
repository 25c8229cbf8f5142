# Sourced: installs missing Debian/Ubuntu packages through apt, announcing each one, with sudo when not root.
# The package lists are refreshed at most once per run (a stamp under the state directory, younger than an hour,
# means another script of the same run already refreshed them).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# apt_install <package>...: installs the packages (all missing, the caller checked).
apt_install() {
  local package
  for package in "$@"; do log "installing $package (Debian package)"; done
  command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found (not Debian/Ubuntu): install these by hand with your system's package manager (Debian names: $*), then run again"
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
    die "installing $* needs root: run as root, install sudo, or install them yourself (apt-get install $*)"
  fi
  local stamp="$infra_state/apt-lists-updated"
  # An image whose package lists were never downloaded, or went stale, fails at once: refresh and try again.
  if ! DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
      log "refreshing the package lists (apt-get update)"
      as_root apt-get update -qq || die "apt-get update failed: check the network and the apt sources"
      touch "$stamp"
    fi
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
      die "could not install $* with apt-get (see the messages above)"
  fi
}

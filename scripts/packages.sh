# Debian packages the tests need, and the one function that installs the missing ones.
# Sourced by scripts/setup.sh (every package, the first step of `npm test`) and
# scripts/e2eSetup.sh (only the real editor's, for `npm start` and `npm run test:e2e`).
# shellcheck shell=bash

# Every test level's packages, and why:
# - strace: the reliability test's fsync order (temp file, rename, directory).
# - prometheus (with promtool), prometheus-node-exporter: the fleet tests (rule unit tests,
#   a live Prometheus scraping real node_exporters).
# - faketime: the fleet test's host whose exporter stopped (its clock ten minutes behind).
# - systemd-journal-remote: turns journal export streams into journald files for the `log`
#   tests; brings systemd (journalctl, and systemd-analyze for the units).
# - zsh: the zsh completion tests drive an interactive zsh.
# - sudo, passwd (useradd, chpasswd): the e2e suite's second run, as a user in group sudo.
# - chromium, libkrb5-dev, g++, make, python3: the e2e suite's browser, and what
#   code-server's native modules (kerberos, node-pty) are compiled with.
# - dpkg-dev, lintian: building and checking the .deb (npm run deb, test/package/deb.test.ts);
#   bash-completion: that test loads the installed completion through bash-completion's own
#   loader, as an interactive bash does.
# - nodejs: what the .deb depends on; the packaging test installs the .deb and runs
#   /usr/bin/node (a NodeSource nodejs counts: it has the same name).
# - git: the self-containment test copies the repository with `git archive`.
TEST_PACKAGES=(
  strace prometheus prometheus-node-exporter faketime systemd-journal-remote zsh sudo passwd
  chromium libkrb5-dev g++ make python3 dpkg-dev lintian bash-completion nodejs git
)
# What `npm start` and the e2e suite need of them.
E2E_PACKAGES=(chromium libkrb5-dev g++ make python3 sudo passwd)

# Prints the named packages that are not installed, one per line.
missing_packages() {
  local p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || printf '%s\n' "$p"
  done
}

# Installs the missing ones among the named packages with apt-get, as root. As another
# user, prints the one line that installs them and returns 1, before anything has run.
ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    printf 'The tests need these Debian packages, and this is not a Debian-based system (no dpkg-query):\n  %s\n' "$*" >&2
    return 1
  fi
  local need
  mapfile -t need < <(missing_packages "$@")
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    printf 'Missing Debian packages: %s. Install them, then run the tests again:\n' "${need[*]}" >&2
    printf '  sudo apt-get install -y %s\n' "${need[*]}" >&2
    return 1
  fi
  printf 'Installing Debian packages: %s\n' "${need[*]}"
  # The packages' postinst would start a Prometheus on :9090 and a node_exporter on :9100
  # where an init system runs; the tests start their own on free ports, so forbid that
  # for the install (unless the machine already has a policy of its own).
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ "$own_policy" = 1 ]; then rm -f "$policy" && trap - EXIT; fi
  mapfile -t need < <(missing_packages "$@")
  if [ ${#need[@]} -gt 0 ]; then
    printf 'apt-get did not install: %s\n' "${need[*]}" >&2
    return 1
  fi
}

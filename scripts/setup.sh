#!/usr/bin/env bash
# The first step of `npm test`: installs what every test level needs, when it is missing,
# so that a clone passes `npm ci && npm test` on a fresh Debian or Ubuntu machine.
# - Debian packages (scripts/packages.sh lists them and why), with apt-get as root. As
#   another user, prints the one `sudo apt-get install -y ...` line and exits 1 before
#   any test runs.
# - Node 18 (the oldest Node the CLI supports: Ubuntu 24.04's nodejs is 18.19.1), from the
#   npm package node-linux-<arch>, into the git-ignored .cache/node18/, with
#   .cache/node18/bin/node pointing at it: `npm run test:cli18` runs the CLI suite with it.
# The e2e suite's own setup (Node 24, code-server) is scripts/e2eSetup.sh, run by test:e2e.
# Idempotent: with everything present it checks and returns in about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/packages.sh
. scripts/packages.sh

NODE18_VERSION=18.19.1
NODE18_PREFIX="$PWD/.cache/node18"
say() { printf '[setup] %s\n' "$*"; }

ensure_packages "${TEST_PACKAGES[@]}" || exit 1
say "Debian packages: present (${#TEST_PACKAGES[@]})"

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) say "no node-linux package for $(uname -m): the CLI's Node 18 run needs x86_64 or aarch64"; exit 1 ;;
esac
node18="$NODE18_PREFIX/bin/node"
if [ -x "$node18" ] && [ "$("$node18" --version)" = "v$NODE18_VERSION" ]; then
  say "Node $NODE18_VERSION: cached ($node18)"
else
  say "installing Node $NODE18_VERSION into $NODE18_PREFIX"
  npm install --prefix "$NODE18_PREFIX" --no-audit --no-fund --no-save --loglevel=error "node-linux-$arch@$NODE18_VERSION" >/dev/null
  mkdir -p "$NODE18_PREFIX/bin"
  ln -sfn "../node_modules/node-linux-$arch/bin/node" "$node18"
  [ "$("$node18" --version)" = "v$NODE18_VERSION" ] || { say "no Node $NODE18_VERSION at $node18"; exit 1; }
fi

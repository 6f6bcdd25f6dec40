#!/usr/bin/env bash
# test/runtime/install.sh [DIR]
#
# The project's own copy (adapted) of the shared vscode-offline installer, so the repository
# depends on nothing outside itself. `npm run test:integration` calls it before every run; after
# the first install it is a no-op (stamp file), so the ~320 MB runtime is installed once and reused.
#
# Offline install of a real VS Code (code-server = the VS Code server, its web
# workbench and the Node extension host) into DIR (default <repo>/.vscode-offline,
# git-ignored), using only the npm registry (via npm) and Debian packages (via apt-get).
#
# Result:
#   DIR/node_modules/code-server/        code-server (VS Code 1.100.3 for 4.100.3)
#   DIR/node_modules/playwright-core/    drives Debian's /usr/bin/chromium
#   DIR/bin/code-server                  wrapper: right node, marketplace off
#   DIR/node/                            node from npm, only when the system
#                                        node's major differs from what
#                                        code-server's engines.node asks for
#   DIR/.installed                       stamp; a re-run with it is a no-op
#   DIR/install.log                      full npm output of the install
#
# Why not just `npm install -g code-server`? Four things break offline:
#   1. code-server's postinstall runs `npm install` in lib/vscode, whose
#      shrinkwrap pins @vscode/ripgrep 1.15.x; that package's postinstall
#      downloads rg from api.github.com. It first looks for a cached archive
#      in $TMPDIR/vscode-ripgrep-cache-<version>/, so we build that archive from
#      the rg binary npm ships in @vscode/ripgrep-linux-<arch> (fallback:
#      Debian's /usr/bin/rg) and run the install with TMPDIR pointing at it.
#   2. Native modules (node-pty, @vscode/spdlog, kerberos, native-watchdog,
#      argon2, ...) get compiled by node-gyp, which would fetch node headers
#      from nodejs.org; we point npm_config_nodedir at local headers.
#   3. node-pty's postinstall runs `npx node-gyp ...`; with `yes=false` in an
#      npmrc npx refuses to install it, so we set npm_config_yes=true.
#   4. As root, code-server's postinstall demands npm_config_unsafe_perm=true.
#
# Env knobs: VSCODE_OFFLINE_DIR (the default DIR), CODE_SERVER_VERSION (4.100.3), PLAYWRIGHT_CORE_VERSION (1.65.1),
#   RG_BIN_PKG_VERSION (1.18.0), NO_APT=1 (never run apt-get), FORCE=1
#   (reinstall even if stamped), USE_NPM_NODE=1 (take node from npm even when
#   the system node would do).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="$(realpath -m "${1:-${VSCODE_OFFLINE_DIR:-$REPO/.vscode-offline}}")"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
PLAYWRIGHT_CORE_VERSION="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
RG_BIN_PKG_VERSION="${RG_BIN_PKG_VERSION:-1.18.0}"
STAMP="$DIR/.installed"
WANT="code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_CORE_VERSION"

log() { printf '[vscode-offline] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ----------------------------------------------------------- idempotency
if [ -z "${FORCE:-}" ] && [ -f "$STAMP" ] && grep -qxF "$WANT" "$STAMP" \
   && [ -f "$DIR/node_modules/code-server/out/node/entry.js" ]; then
  log "already installed in $DIR ($WANT); FORCE=1 reinstalls"
  exit 0
fi

START=$(date +%s)
case "$(uname -m)" in
  x86_64)  ARCH=x64;   RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) ARCH=arm64; RG_TARGET=aarch64-unknown-linux-musl ;;
  *) die "unsupported architecture $(uname -m)" ;;
esac
command -v npm >/dev/null || die "npm is required"
mkdir -p "$DIR"
SEED="$DIR/.seed"            # scratch space, removed after a good install
rm -rf "$SEED"; mkdir -p "$SEED/tmp"

# ------------------------------------------- Debian build and runtime deps
# make/g++/python3: node-gyp. libkrb5-dev: the `kerberos` module.
# chromium: the browser side of the harness (code-server itself needs none).
need=()
{ command -v make && command -v g++; } >/dev/null || need+=(build-essential)
command -v python3 >/dev/null || need+=(python3)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v chromium >/dev/null || need+=(chromium)
# Not needed by the runtime, but without it chromium draws Chinese text as boxes in screenshots.
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || need+=(fonts-noto-cjk)
if [ "${#need[@]}" -gt 0 ]; then
  if [ -z "${NO_APT:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    die "missing Debian packages; run: apt-get install ${need[*]}"
  fi
fi

# ------------------------------------ read what this code-server release needs
cs_tgz="$(cd "$SEED" && npm pack --silent "code-server@$CODE_SERVER_VERSION")"
tar xzf "$SEED/$cs_tgz" -C "$SEED" package/package.json
tar xzf "$SEED/$cs_tgz" -C "$SEED" package/lib/vscode/npm-shrinkwrap.json 2>/dev/null || true
rm -f "$SEED/$cs_tgz"
# engines.node is "20" for 4.100.x, "22" / "24" for later releases.
NODE_MAJOR="$(node -e 'const e=require(process.argv[1]).engines||{};process.stdout.write((String(e.node||"").match(/\d+/)||["20"])[0])' "$SEED/package/package.json")"
RG_VERSION="$(node -e 'let p;try{p=require(process.argv[1]).packages["node_modules/@vscode/ripgrep"]}catch{}process.stdout.write(p?p.version:"")' "$SEED/package/lib/vscode/npm-shrinkwrap.json")"
log "code-server@$CODE_SERVER_VERSION wants node $NODE_MAJOR, pins @vscode/ripgrep ${RG_VERSION:-none}"

# ------------------------------------------------------------------- node
# Use the system node if its major matches; otherwise node from npm: the
# node-linux-<arch> package is the official build (bin/node + include/node).
sys_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$sys_major" != "$NODE_MAJOR" ] || [ -n "${USE_NPM_NODE:-}" ]; then
  if [ "$("$DIR/node/bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$NODE_MAJOR" ]; then
    log "fetching node $NODE_MAJOR from npm (node-linux-$ARCH@$NODE_MAJOR)"
    tgz="$(cd "$SEED" && npm pack --silent "node-linux-$ARCH@$NODE_MAJOR")"
    rm -rf "$DIR/node"; mkdir -p "$DIR/node"
    tar xzf "$SEED/$tgz" -C "$DIR/node" --strip-components=1
    rm -f "$SEED/$tgz"
  fi
  # npm's launcher is `#!/usr/bin/env node`: PATH decides which node runs npm
  # (and code-server's postinstall checks that node's version).
  export PATH="$DIR/node/bin:$PATH"
fi
NODE_BIN="$(command -v node)"
[ "$(node -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ] || die "need node $NODE_MAJOR, have $(node -v)"
log "using node $(node -v) ($NODE_BIN), npm $(npm -v 2>/dev/null)"

# node-gyp must use local headers, never download them from nodejs.org.
node_prefix="$(dirname "$(dirname "$(readlink -f "$NODE_BIN")")")"
[ -f "$node_prefix/include/node/node.h" ] \
  || die "no node headers in $node_prefix/include/node (USE_NPM_NODE=1 uses node from npm, which has them)"
export npm_config_nodedir="$node_prefix"

# ------------------------------------------------- ripgrep cache seeding
if [ -n "$RG_VERSION" ]; then
  (
    cd "$SEED"
    rg_tgz="$(npm pack --silent "@vscode/ripgrep@$RG_VERSION")"
    if ! tar xzf "$rg_tgz" -O package/lib/postinstall.js > postinstall.js 2>/dev/null; then
      log "@vscode/ripgrep@$RG_VERSION downloads nothing (binary is an npm package); no seeding"
      exit 0
    fi
    # Archive name the postinstall would download: ripgrep-<VERSION>-<target>.tar.gz
    asset="$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" postinstall.js)"
    [ -n "$asset" ] || { log "cannot read VERSION from @vscode/ripgrep@$RG_VERSION"; exit 1; }
    if bin_tgz="$(npm pack --silent "@vscode/ripgrep-linux-$ARCH@$RG_BIN_PKG_VERSION" 2>/dev/null)"; then
      mkdir -p rgpkg && tar xzf "$bin_tgz" -C rgpkg && cp rgpkg/package/bin/rg rg
    elif command -v rg >/dev/null; then
      cp "$(command -v rg)" rg          # Debian's ripgrep package
    else
      log "no rg binary (npm @vscode/ripgrep-linux-$ARCH, or apt-get install ripgrep)"; exit 1
    fi
    chmod 755 rg
    mkdir -p "tmp/vscode-ripgrep-cache-$RG_VERSION"
    tar czf "tmp/vscode-ripgrep-cache-$RG_VERSION/ripgrep-$asset-$RG_TARGET.tar.gz" rg
    log "seeded ripgrep-$asset-$RG_TARGET.tar.gz with $(./rg --version | head -1)"
  )
fi

# ---------------------------------------------------------------- install
cd "$DIR"
[ -f package.json ] || printf '{\n  "private": true,\n  "description": "offline VS Code runtime (code-server)"\n}\n' > package.json
export npm_config_yes=true            # node-pty postinstall runs `npx node-gyp`
export npm_config_unsafe_perm=true    # code-server postinstall insists on it as root
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# argon2 (node-pre-gyp) and kerberos (prebuild-install) try GitHub for prebuilt
# binaries before building from source; a closed loopback port makes that
# attempt fail at once with no DNS lookup or off-machine traffic.
export npm_config_argon2_binary_host_mirror=http://127.0.0.1:9/
export npm_config_kerberos_binary_host=http://127.0.0.1:9
export npm_config_kerberos_binary_host_mirror=http://127.0.0.1:9
log "npm install $WANT (log: $DIR/install.log)"
if ! TMPDIR="$SEED/tmp" npm install --omit=dev --save-exact --foreground-scripts \
      "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION" \
      > "$DIR/install.log" 2>&1; then
  grep -v 'Unknown .* config' "$DIR/install.log" | tail -40 >&2
  die "npm install failed; see $DIR/install.log"
fi
rm -rf "$SEED"

# ----------------------------------------------------------------- verify
CS="$DIR/node_modules/code-server"
VS="$CS/lib/vscode"
# rg: bin/rg of @vscode/ripgrep (<= VS Code 1.10x), or bin/linux-<arch>/rg of
# @vscode/ripgrep-universal (later releases, binaries shipped inside the npm package).
rg_bin="$(ls "$VS"/node_modules/@vscode/ripgrep/bin/rg "$VS"/node_modules/@vscode/ripgrep*/bin/linux-$ARCH/rg 2>/dev/null | head -1 || true)"
[ -n "$rg_bin" ] && "$rg_bin" --version >/dev/null || die "no working rg in $VS/node_modules/@vscode"
(cd "$VS" && node -e '
  const fs = require("fs");
  for (const m of ["node-pty", "@vscode/spdlog", "native-watchdog", "kerberos", "@parcel/watcher", "@vscode/sqlite3"])
    if (fs.existsSync("node_modules/" + m)) require(m);
') || die "a native module of VS Code does not load"
(cd "$CS" && node -e 'require("argon2")') || die "argon2 does not load"

# Wrapper: picks DIR/node when present and turns the marketplace off
# (code-server defaults to open-vsx.org, which only yields DNS errors here).
mkdir -p "$DIR/bin"
cat > "$DIR/bin/code-server" <<'EOF'
#!/bin/sh
# code-server from an offline vscode-offline install (see install.sh)
DIR="$(cd "$(dirname "$0")/.." && pwd)"
NODE=node
[ -x "$DIR/node/bin/node" ] && NODE="$DIR/node/bin/node"
[ -n "${EXTENSIONS_GALLERY:-}" ] || EXTENSIONS_GALLERY='{}'
export EXTENSIONS_GALLERY
exec "$NODE" "$DIR/node_modules/code-server/out/node/entry.js" "$@"
EOF
chmod 755 "$DIR/bin/code-server"
# --config /dev/null: otherwise even --version writes ~/.config/code-server/config.yaml; and it
# creates $XDG_DATA_HOME/code-server/coder-logs (default ~/.local/share), so that goes to a temp dir.
scratch="$(mktemp -d)"
version="$(XDG_DATA_HOME="$scratch" "$DIR/bin/code-server" --config /dev/null --version)"
rm -rf "$scratch"
printf '%s\n' "$WANT" > "$STAMP"
log "installed $version"
log "size $(du -sh "$DIR" | cut -f1), took $(( $(date +%s) - START ))s"

#!/usr/bin/env bash
# Proves the README's first command on a bare Debian machine: in a chroot with no C/C++ compiler, no make and
# no python, `npm install` of the committed tree (HEAD) installs (the native codecs lz4 and zstd-napi, optional
# dependencies, fail to build and are skipped; lz4-napi and the WebAssembly zstd take their place) and
# `npx hepq demo` runs to its CLs and limit. Run as root: scripts/bare-install-check.sh
#   HEPQ_BARE_BASE=DIR     the Debian tree to copy (default /var/cache/hepq-trixie; made with debootstrap if absent)
#   HEPQ_BARE_NPM_CACHE=D  an npm cache to copy in (e.g. ~/.npm: the same registry tarballs, fetched faster)
#   HEPQ_BARE_KEEP=1       keep the chroot (its path is printed)
# Node is this machine's own binary and npm copied into the chroot (Debian's nodejs package would do as well).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BASE=${HEPQ_BARE_BASE:-/var/cache/hepq-trixie}
[ "$(id -u)" -eq 0 ] || { echo "run as root (chroot and mount need it)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/hepq-bare.XXXXXX)
ROOT=$WORK/root
cleanup() {
  for m in dev/pts dev proc; do mountpoint -q "$ROOT/$m" && umount "$ROOT/$m"; done
  if [ "${HEPQ_BARE_KEEP:-}" = 1 ]; then echo "kept $ROOT"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [ -d "$BASE/usr" ]; then
  cp -a "$BASE" "$ROOT"
else
  echo "no $BASE: making a minimal trixie with debootstrap"
  debootstrap --variant=minbase trixie "$ROOT"
fi
# A bare machine: whatever toolchain the base has goes (node-gyp needs python, make and a C++ compiler).
rm -f "$ROOT"/usr/bin/{gcc,g++,cc,c++,cpp,make,gmake,python,python3}* "$ROOT"/usr/bin/x86_64-linux-gnu-{gcc,g++,cpp}*
for tool in gcc g++ cc c++ make python3 python; do
  if chroot "$ROOT" /bin/sh -c "command -v $tool" >/dev/null 2>&1; then
    echo "FAIL: $tool is still in the chroot" >&2
    exit 1
  fi
done

NODE=$(readlink -f "$(command -v node)")
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
mkdir -p "$ROOT/usr/local/bin" "$ROOT/usr/local/lib/node_modules" "$ROOT/src/hepq" "$ROOT/root"
cp "$NODE" "$ROOT/usr/local/bin/node"
cp -a "$NPM_DIR" "$ROOT/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
git -C "$REPO" archive HEAD | tar -x -C "$ROOT/src/hepq"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# The CAs this machine trusts (a TLS-inspecting proxy's among them, where there is one) for npm's requests.
CA=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
[ -f "$CA" ] && cp "$CA" "$ROOT/etc/ssl/certs/hepq-host-ca.crt"
[ -n "${HEPQ_BARE_NPM_CACHE:-}" ] && cp -a "$HEPQ_BARE_NPM_CACHE" "$ROOT/root/.npm"
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"

echo "== in a chroot without $(printf '%s ' gcc g++ make python3)(node $("$NODE" --version)): npm install && npx hepq demo"
chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin TERM=dumb \
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/hepq-host-ca.crt npm_config_cafile=/etc/ssl/certs/hepq-host-ca.crt \
  /bin/bash -c 'cd /src/hepq && npm install 2>&1 | tee /tmp/install.log && npx hepq demo --out /tmp/demo 2>&1 | tee /tmp/demo.log'

fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1" >&2; fail=1; fi; }
R=$ROOT/src/hepq/node_modules
check 'npm install installed (no "npm error")' "! grep -q '^npm error' '$ROOT/tmp/install.log'"
check 'the native lz4 and zstd-napi were not built (no compiler): the fallbacks are what runs' \
  "[ ! -e '$R/lz4/build/Release/lz4.node' ] && [ ! -e '$R/zstd-napi/build/Release/binding.node' ]"
check 'lz4-napi and @bokuweb/zstd-wasm are installed' "[ -d '$R/lz4-napi' ] && [ -d '$R/@bokuweb/zstd-wasm' ]"
check 'the demo printed its fit, CLs and upper limit' \
  "grep -q 'CLs' '$ROOT/tmp/demo.log' && grep -qi 'limit' '$ROOT/tmp/demo.log'"
check 'the demo wrote its ROOT files, workspace and plots' \
  "ls '$ROOT'/tmp/demo/*.root >/dev/null && [ -s '$ROOT/tmp/demo/workspace.json' ] && [ -s '$ROOT/tmp/demo/fit.svg' ]"
check 'no EBADENGINE warning during install' "! grep -q EBADENGINE '$ROOT/tmp/install.log'"
exit $fail

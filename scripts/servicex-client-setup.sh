#!/usr/bin/env bash
# Builds the environment of the python ServiceX client contract test (test/server/servicex/python-client.test.ts):
# a Debian trixie chroot (python 3.13, pydantic 2) with the client's dependencies from Debian packages, plus
# the pure-python packages Debian does not ship (the servicex client itself, func_adl, qastle, make-it-sync,
# aioboto3, aiobotocore, httpx-retries), copied from source trees the caller provides.
#
#   HEPQ_SX_PY_SRC=/path/to/sources bash scripts/servicex-client-setup.sh
#
# HEPQ_SX_PY_SRC holds one folder per package, each with its pyproject.toml (or setup.py) and its package
# folder, and optionally a VERSION file (for packages whose version comes from their VCS): servicex/,
# func_adl/, qastle/, make-it-sync/, aioboto3/, aiobotocore/, httpx-retries/. These sources come from the
# packages' public repositories (the client 3.3.1, func_adl 3.5.0, qastle 0.19.0, make-it-sync 2.0.0,
# aioboto3 14.3.0, aiobotocore 2.22.0, httpx-retries 0.4.6 were tested); nothing of them is in this repo.
# Without them, the chroot is still built and the test skips, saying why.
#
# Idempotent: each step leaves a marker under the chroot; rerunning redoes only what is missing.
# Cached at HEPQ_TRIXIE (default /var/cache/hepq-trixie). Needs root and network access to the Debian mirror.
set -euo pipefail

ROOT=${HEPQ_TRIXIE:-/var/cache/hepq-trixie}
# The folder the pure-python packages go to: `site` (what the test runs), or e.g. HEPQ_SX_SITE=site-3.2.2 for
# a second client release, which the test also runs when present.
SITE=/opt/hepq-sx/${HEPQ_SX_SITE:-site}
# The mirror apt already uses on this machine (deb822 URIs: or a one-line `deb` source), else the default.
MIRROR=$( (grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security
  grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security) | head -n1 || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}

PACKAGES=(python3 ca-certificates python3-pydantic python3-httpx python3-aiohttp python3-boto3 python3-rich
  python3-typer python3-tinydb python3-yaml python3-google-auth python3-tenacity python3-ruamel.yaml
  python3-filelock python3-requests python3-wrapt python3-aioitertools python3-lark python3-dateutil
  python3-jmespath python3-typing-extensions python3-importlib-metadata python3-aiofiles)

if [ "$(id -u)" != 0 ]; then
  echo "servicex-client-setup: needs root (debootstrap, chroot)" >&2
  exit 2
fi

if [ ! -e "$ROOT/.hepq-base" ]; then
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
  fi
  rm -rf "$ROOT"
  debootstrap --variant=minbase trixie "$ROOT" "$MIRROR"
  touch "$ROOT/.hepq-base"
fi

if [ ! -e "$ROOT/.hepq-packages" ]; then
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  chroot "$ROOT" apt-get update -qq
  chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
  chroot "$ROOT" apt-get clean
  touch "$ROOT/.hepq-packages"
fi

SRC=${HEPQ_SX_PY_SRC:-}
if [ -z "$SRC" ]; then
  if [ -e "$ROOT/$SITE/.hepq-ready" ]; then exit 0; fi
  echo "servicex-client-setup: the Debian part is ready in $ROOT; set HEPQ_SX_PY_SRC to the pure-python" >&2
  echo "  sources (see the top of this script) to install the client; the contract test skips until then" >&2
  exit 3
fi

rm -rf "$ROOT/$SITE.new"
mkdir -p "$ROOT/$SITE.new"
for dir in "$SRC"/*/; do
  name=$(basename "$dir")
  for pkg in "$dir"*/; do
    [ -e "$pkg/__init__.py" ] && cp -r "$pkg" "$ROOT/$SITE.new/"
  done
  # A minimal dist-info: the client reads its own version and its query/dataset plugins as entry points.
  cp "$dir/pyproject.toml" "$ROOT/tmp/hepq-pyproject.toml" 2>/dev/null || rm -f "$ROOT/tmp/hepq-pyproject.toml"
  version=$(cat "$dir/VERSION" 2>/dev/null || true)
  chroot "$ROOT" python3 - "$name" "$SITE.new" "$version" <<'PY'
import os, sys, tomllib
name, site, version = sys.argv[1], sys.argv[2], sys.argv[3]
project = {}
if os.path.exists('/tmp/hepq-pyproject.toml'):
    with open('/tmp/hepq-pyproject.toml', 'rb') as f:
        project = tomllib.load(f).get('project', {})
dist = project.get('name', name)
version = version or project.get('version') or '0.0.0'
info = os.path.join(site, f"{dist.replace('-', '_')}-{version}.dist-info")
os.makedirs(info, exist_ok=True)
with open(os.path.join(info, 'METADATA'), 'w') as f:
    f.write(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
groups = dict(project.get('entry-points', {}))
if project.get('scripts'):
    groups['console_scripts'] = project['scripts']
with open(os.path.join(info, 'entry_points.txt'), 'w') as f:
    for group, entries in groups.items():
        f.write(f"[{group}]\n" + ''.join(f"{k} = {v}\n" for k, v in entries.items()) + "\n")
PY
done
rm -f "$ROOT/tmp/hepq-pyproject.toml"
# The check the contract test relies on: the client imports and sees its plugins.
chroot "$ROOT" env PYTHONPATH="$SITE.new" python3 -c '
import servicex, servicex.query as q, servicex.dataset as d
print("servicex", servicex.__version__, "queries:", sorted(n for n in dir(q) if not n.startswith("_"))[:4], "...")
' >&2
rm -rf "$ROOT/$SITE"
mv "$ROOT/$SITE.new" "$ROOT/$SITE"
touch "$ROOT/$SITE/.hepq-ready"
echo "servicex-client-setup: ready ($ROOT$SITE)" >&2

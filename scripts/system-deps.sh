#!/usr/bin/env bash
# Debian packages the tests need, installed only where missing (a no-op on a prepared machine):
# a compiler for the optional native codecs (lz4, zstd-napi: faster than their fallbacks, and the tests compare the
# two); Mesa's software GPU for the WebGPU tests
# (llvmpipe through Dawn's OpenGL ES backend); redis-server for the transformer's queue tests; tmux; chromium for
# the web console's browser tests (driven by puppeteer-core). Waits up to 10 minutes for another apt's lock.
set -euo pipefail
need=()
for cmd_pkg in g++:g++ make:make python3:python3 redis-server:redis-server tmux:tmux chromium:chromium; do
  command -v "${cmd_pkg%%:*}" >/dev/null 2>&1 || need+=("${cmd_pkg#*:}")
done
for lib_pkg in libEGL_mesa.so.0:libegl-mesa0 libGLESv2.so.2:libgles2 libvulkan_lvp.so:mesa-vulkan-drivers; do
  lib="${lib_pkg%%:*}"
  if ! ldconfig -p 2>/dev/null | grep -q "$lib" && ! ls /usr/lib/*/"$lib" >/dev/null 2>&1; then
    need+=("${lib_pkg#*:}")
  fi
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  LOCK=(-o DPkg::Lock::Timeout=600)
  $SUDO apt-get "${LOCK[@]}" update -qq && $SUDO apt-get "${LOCK[@]}" install -y -qq "${need[@]}"
fi

#!/usr/bin/env bash
# Installs Debian's `chromium` for furnace-report's browser test
# (crates/furnace-report/tests/browser.rs), which runs /usr/bin/chromium
# headless on a generated report.html. Idempotent: does nothing when
# /usr/bin/chromium exists. Non-interactive; needs root (or sudo) and apt.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-chromium.sh: not root and no sudo; install Debian's chromium package by hand" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# --no-install-recommends keeps it to the browser and its libraries (no
# desktop extras); fonts-dejavu-core gives the page's text a font, which a
# bare container may lack.
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core

/usr/bin/chromium --version

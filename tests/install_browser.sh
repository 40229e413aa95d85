#!/usr/bin/env bash
# Install Debian's Chromium and ChromeDriver for the browser check, where this machine allows it.
# Never fails: without them, tests/browser_check.py skips with a message that says how to enable it.
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if [ "${SEQSHAPE_NO_BROWSER:-0}" = "1" ]; then
    echo "browser install skipped (SEQSHAPE_NO_BROWSER=1)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "browser install skipped: no apt-get here; install Chromium and a matching ChromeDriver to enable the browser check"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "browser install skipped: needs root; run: sudo apt-get install chromium chromium-driver"
        exit 0
    fi
fi
echo "installing chromium and chromium-driver with apt-get (once) ..."
if $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; then
    echo "installed: $(chromium --version 2>/dev/null)"
else
    echo "browser install failed; the browser check will be skipped"
fi
exit 0

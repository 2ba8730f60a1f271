#!/usr/bin/env bash
# Installs what the browser test needs when it is missing: Debian's headless-capable Chromium and
# its matching chromedriver (/usr/bin/chromium, /usr/bin/chromedriver). Idempotent; needs root to
# install. Selenium uses these two binaries and never downloads a browser or driver of its own.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "browser-deps.sh: chromium and chromium-driver are missing and this is not root:" \
       "install them with 'apt-get install chromium chromium-driver'" >&2
  exit 1
fi
echo "browser-deps.sh: installing chromium and chromium-driver (apt-get)..."
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver fonts-liberation
/usr/bin/chromium --version
/usr/bin/chromedriver --version

#!/usr/bin/env bash
# Make sure Debian's Chromium and its WebDriver are installed, for the web page's browser tests
# (tests/helpers/browser.py drives /usr/bin/chromium through /usr/bin/chromedriver with
# Selenium). Installs Debian's packages when either is missing; needs root (or sudo) only then.
# Nothing here or in the tests downloads a browser build: the distribution's packages are the
# browser, updated with the rest of the machine.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
echo "Chromium is missing: installing Debian's chromium and chromium-driver packages" >&2
as_root=()
if [ "$(id -u)" != 0 ]; then as_root=(sudo -n); fi
export DEBIAN_FRONTEND=noninteractive
# Always fresh lists before installing (as tools/ensure_postgres.sh): Chromium is updated by
# security releases often, and a list only hours old can name a .deb the mirror has dropped.
"${as_root[@]}" apt-get update -q
# Without the recommends (chromium-sandbox, upower, udev, a notification daemon, printer setup:
# nothing a headless test browser uses; the tests run it with --no-sandbox), but with
# fonts-liberation, which it recommends too: the fonts metric-compatible with Arial, Times and
# Courier, so pages and the README's screenshots look alike on every machine (fontconfig
# itself only pulls in DejaVu). On a bare bookworm: 240 packages instead of 401.
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver \
    fonts-liberation >/dev/null
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]

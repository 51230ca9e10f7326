#!/bin/sh
# Makes sure a headless Chromium is available for the browser test (test/html-card.browser.test.ts),
# from Debian's packages only: never a browser download from elsewhere (playwright-core is used
# with the system browser). Prints the browser's path on success; exits non-zero when it cannot
# be obtained, so the test fails instead of skipping.
set -eu
for b in "${XWALK_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$b" ] && [ -x "$b" ]; then echo "$b"; exit 0; fi
done
if [ "$(id -u)" = 0 ]; then SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"
else
  echo "setup-browser: /usr/bin/chromium is missing and this user can neither run apt-get nor sudo; install it with: apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Quiet on success; the output is shown when something fails.
log=$(mktemp)
if ! { $SUDO apt-get install -y --no-install-recommends chromium >"$log" 2>&1 || { $SUDO apt-get update >>"$log" 2>&1 && $SUDO apt-get install -y --no-install-recommends chromium >>"$log" 2>&1; }; }; then
  cat "$log" >&2; rm -f "$log"
  echo "setup-browser: apt-get install chromium failed" >&2
  exit 1
fi
rm -f "$log"
if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium; exit 0; fi
echo "setup-browser: chromium was installed but /usr/bin/chromium is not there" >&2
exit 1

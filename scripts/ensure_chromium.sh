#!/usr/bin/env bash
# Find or install headless Chromium (Debian package `chromium`) for the browser tests.
# Never fails the build: when Chromium cannot be had, it says so loudly and the
# browser tests skip with the same message.
set -u
for exe in "${PARSTATS_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -n "$exe" ] && [ -x "$exe" ]; then
    echo "chromium: found $exe"
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not found; installing the Debian package (apt-get install chromium)"
  if apt-get update -qq >/dev/null 2>&1 \
     && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1; then
    echo "chromium: installed $(command -v chromium)"
    exit 0
  fi
fi
echo "##############################################################################"
echo "# chromium: NOT AVAILABLE - the browser tests will be SKIPPED.                #"
echo "# Install the 'chromium' system package or set PARSTATS_CHROMIUM=/path/to/it. #"
echo "##############################################################################"
exit 0

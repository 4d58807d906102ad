#!/usr/bin/env bash
# Find or install what parstats.formats needs beyond Python packages:
#   - Tesseract OCR with its Vietnamese model (Debian tesseract-ocr, tesseract-ocr-vie):
#     scanned PDF pages;
#   - LibreOffice Writer, headless (Debian libreoffice-writer-nogui): legacy Word .doc
#     files, and the test fixtures (a seed plan's .docx to PDF and .doc);
#   - fonts with Vietnamese letters (fonts-dejavu-core, fonts-liberation2) for LibreOffice.
# Never fails the build: what cannot be had is said loudly, and the tests that need it
# skip with the same message (naming the package).
set -u
have_tesseract() {
  local exe="${PARSTATS_TESSERACT:-$(command -v tesseract || true)}"
  [ -n "$exe" ] && [ -x "$exe" ] && "$exe" --list-langs 2>/dev/null | grep -qx vie
}
have_soffice() {
  local exe="${PARSTATS_SOFFICE:-$(command -v soffice || true)}"
  [ -n "$exe" ] && [ -x "$exe" ]
}
missing=()
have_tesseract || missing+=(tesseract-ocr tesseract-ocr-vie)
have_soffice || missing+=(libreoffice-writer-nogui fonts-dejavu-core fonts-liberation2)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ocr: not found; installing the Debian packages (apt-get install ${missing[*]})"
  if apt-get update -qq >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || echo "ocr: apt-get install ${missing[*]} failed"
  fi
fi
status=0
if have_tesseract; then
  echo "ocr: found $(tesseract --version 2>/dev/null | head -1) with the Vietnamese model"
else
  status=1
  echo "##############################################################################"
  echo "# ocr: TESSERACT (vie) NOT AVAILABLE - scanned PDF pages will not be read,   #"
  echo "# and the OCR tests will be SKIPPED. Install the Debian packages             #"
  echo "# 'tesseract-ocr tesseract-ocr-vie' or set PARSTATS_TESSERACT=/path/to/it.    #"
  echo "##############################################################################"
fi
if have_soffice; then
  echo "ocr: found $(soffice --headless --version 2>/dev/null | head -1)"
else
  status=1
  echo "##############################################################################"
  echo "# ocr: LIBREOFFICE NOT AVAILABLE - .doc plans cannot be read, and the tests  #"
  echo "# that make PDF and .doc fixtures will be SKIPPED. Install the Debian        #"
  echo "# package 'libreoffice-writer-nogui' or set PARSTATS_SOFFICE=/path/to/soffice.#"
  echo "##############################################################################"
fi
[ "$status" = 0 ] || echo "ocr: see above; the build goes on"
exit 0

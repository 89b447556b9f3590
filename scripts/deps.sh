#!/usr/bin/env bash
# Installs what the tests and `make run` need beyond Go, Node and PostgreSQL:
# mailpit (a real SMTP server with an HTTP API), Debian's Chromium for the
# end-to-end tests, LibreOffice, Poppler and Tesseract (Vietnamese) for the
# importer, the frontend's node modules. Idempotent and quiet when
# everything is there already.
set -euo pipefail
cd "$(dirname "$0")/.."

GOBIN="$(go env GOPATH)/bin"
if ! command -v mailpit >/dev/null && [ ! -x "$GOBIN/mailpit" ]; then
  echo "deps: installing mailpit"
  go install github.com/axllent/mailpit@v1.33.1
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "deps: installing chromium (Debian package)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# LibreOffice opens the exported .xlsx and .docx in the tests, as a user's
# office suite would.
if ! command -v soffice >/dev/null; then
  echo "deps: installing LibreOffice (Debian packages)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-calc-nogui libreoffice-writer-nogui >/dev/null
fi

# The importer reads PDFs with Poppler (pdftotext, pdftoppm, pdfinfo) and
# scans with Tesseract and its Vietnamese model.
missing=()
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
if ! ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1; then missing+=(tesseract-ocr-vie); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]} (Debian packages)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci again only when the lockfile's content changed since the last one
# (its hash is kept in node_modules), not when a checkout touched it. A
# node_modules that npm ci left newer than the lockfile counts as current.
lock_hash=$(sha256sum frontend/package-lock.json | cut -d' ' -f1)
stamp=frontend/node_modules/.package-lock.sha256
if [ -d frontend/node_modules ] && [ ! -f "$stamp" ] && [ frontend/node_modules/.package-lock.json -nt frontend/package-lock.json ]; then
  echo "$lock_hash" >"$stamp"
fi
if [ ! -d frontend/node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  echo "deps: npm ci (frontend)"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$stamp"
fi

# PostgreSQL runs on every developer and CI machine of this kind; start it if
# it stopped.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    echo "deps: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  else
    echo "deps: PostgreSQL is not reachable on 127.0.0.1:5432" >&2
    exit 1
  fi
fi

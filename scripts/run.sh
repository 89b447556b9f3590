#!/usr/bin/env bash
# `make run`: loads the demo data and starts `cascade serve` on :8080 with
# mailpit catching its email on :8025 (unless SMTP_URL is set already).
set -euo pipefail
cd "$(dirname "$0")/.."
GOBIN="$(go env GOPATH)/bin"
MAILPIT="$(command -v mailpit || echo "$GOBIN/mailpit")"

if [ -z "${SMTP_URL:-}" ] && [ -x "$MAILPIT" ]; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/1025) 2>/dev/null; then
    "$MAILPIT" --quiet --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025 --smtp-auth-accept-any --smtp-auth-allow-insecure &
    MAILPIT_PID=$!
    trap 'kill $MAILPIT_PID 2>/dev/null || true' EXIT
  fi
  export SMTP_URL="smtp://127.0.0.1:1025?tls=none"
  echo "run: email goes to mailpit, read it at http://127.0.0.1:8025"
fi

./bin/cascade seed
echo "run: starting cascade serve on ${HTTP_ADDR:-:8080} (Ctrl-C stops it)"
exec ./bin/cascade serve

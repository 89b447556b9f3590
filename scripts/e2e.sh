#!/usr/bin/env bash
# End-to-end tests: starts the built `cascade serve` on a fresh database with
# mailpit, runs the Playwright scenarios in frontend/e2e against it with
# Debian's Chromium, then stops everything and drops the database.
# Arguments pick scenarios by name (scripts/e2e.sh leader-officer-flow).
set -euo pipefail
cd "$(dirname "$0")/.."
GOBIN="$(go env GOPATH)/bin"
MAILPIT="$(command -v mailpit || echo "$GOBIN/mailpit")"

db="cascade_e2e_$RANDOM$RANDOM"
http_port=$(scripts/free-port.sh 1)
temporal_port=$(scripts/free-port.sh 8)
smtp_port=$(scripts/free-port.sh 1)
mail_port=$(scripts/free-port.sh 1)
work=$(mktemp -d)
export E2E_SCREENSHOTS="${E2E_SCREENSHOTS:-$PWD/tmp/e2e-screenshots}"
mkdir -p "$E2E_SCREENSHOTS"

cleanup() {
  [ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [ -n "${mail_pid:-}" ] && kill "$mail_pid" 2>/dev/null || true
  for d in "$db" "${db}_temporal" "${db}_temporal_visibility"; do
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$MAILPIT" --quiet --smtp "127.0.0.1:$smtp_port" --listen "127.0.0.1:$mail_port" --smtp-auth-accept-any --smtp-auth-allow-insecure \
  --database "$work/mailpit.db" &
mail_pid=$!

DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable" \
HTTP_ADDR="127.0.0.1:$http_port" TEMPORAL_PORT="$temporal_port" \
SMTP_URL="smtp://127.0.0.1:$smtp_port?tls=none" PUBLIC_URL="http://127.0.0.1:$http_port" \
DATA_DIR="$work/data" LOG_LEVEL=warn \
  ./bin/cascade seed >/dev/null
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable" \
HTTP_ADDR="127.0.0.1:$http_port" TEMPORAL_PORT="$temporal_port" \
SMTP_URL="smtp://127.0.0.1:$smtp_port?tls=none" PUBLIC_URL="http://127.0.0.1:$http_port" \
DATA_DIR="$work/data" LOG_LEVEL=warn \
  ./bin/cascade serve 2>"$work/serve.log" &
serve_pid=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$serve_pid" 2>/dev/null; then echo "e2e: cascade serve died:"; cat "$work/serve.log"; exit 1; fi
  sleep 0.5
done

echo "e2e: screenshots in $E2E_SCREENSHOTS"
CASCADE_URL="http://127.0.0.1:$http_port" MAILPIT_URL="http://127.0.0.1:$mail_port" \
  npm --prefix frontend run --silent e2e -- "$@" || { echo "e2e: server log:"; tail -50 "$work/serve.log"; exit 1; }

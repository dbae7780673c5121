#!/usr/bin/env bash
# The production path, as an operator takes it: a copy of the tree, `npm ci`, `npm prune --omit=dev`,
# then the archive started from what is left, with and without federation. Fails if anything the
# built server imports is only a devDependency.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
copy="$(mktemp -d)"
# The trap must not fail under set -e: by the time it runs the last server has usually exited.
cleanup() { if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$copy"; }
trap cleanup EXIT
git -C "$root" ls-files -z --cached --others --exclude-standard | (cd "$root" && xargs -0 cp --parents -t "$copy")
cd "$copy"
npm ci --no-audit --no-fund --loglevel=error
npm prune --omit=dev --no-audit --no-fund --loglevel=error
for extra in "" "PUBLIC_URL=http://127.0.0.1:39517"; do
  data="$(mktemp -d)"
  env -u DATABASE_URL -u REDIS_URL DATA_DIR="$data" PORT=39517 LOG_LEVEL=warn $extra node bin/oak.js serve > "$data/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -fs -o /dev/null http://127.0.0.1:39517/healthz && break; sleep 0.5; done
  curl -fsS -o /dev/null http://127.0.0.1:39517/healthz || { cat "$data/log"; exit 1; }
  curl -fsS -o /dev/null http://127.0.0.1:39517/
  if [ -n "$extra" ]; then
    # Fedify, loaded only when federating, answers WebFinger (404 for an unknown account, never a 5xx).
    status=$(curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:39517/.well-known/webfinger?resource=acct:nobody@127.0.0.1:39517')
    case "$status" in 4??) ;; *) echo "webfinger answered $status"; cat "$data/log"; exit 1 ;; esac
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "production install serves ${extra:-without federation}"
  rm -rf "$data"
done

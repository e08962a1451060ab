#!/usr/bin/env bash
# Smoke test of the compiled binary: serve, write with redis-cli, stop with
# SIGTERM, serve again on the same data, read the write back. Auth is the
# default (Biscuit tokens, root key created in the data directory), so this
# also proves the binary embeds the Biscuit library.
# Usage: scripts/smoke_binary.sh dist/materia
set -euo pipefail
binary=${1:-dist/materia}
data=$(mktemp -d)
log=$(mktemp)
trap 'kill -9 "${pid:-0}" 2>/dev/null || true; rm -rf "$data" "$log"' EXIT

# A self-signed certificate for 127.0.0.1, its own CA.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$data/tls.key" -out "$data/tls.pem" -days 1 \
  -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1

start() {
  : >"$log"
  "$binary" serve --host 127.0.0.1 --port 0 --data "$data" --tls-port 0 --tls-cert "$data/tls.pem" --tls-key "$data/tls.key" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*ready on [^:]*:\([0-9]*\).*/\1/p' "$log")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "smoke: $binary did not become ready:"; cat "$log"; exit 1
}

"$binary" --version
start
token=$("$binary" token create --data "$data" --tenant smoke)
export REDISCLI_AUTH="$token"
[ "$(env -u REDISCLI_AUTH redis-cli -p "$port" GET smoke:key)" = "NOAUTH Authentication required." ]
[ "$(redis-cli -p "$port" PING)" = "PONG" ]
for _ in $(seq 1 50); do
  tls_port=$(sed -n 's/.*TLS ready on [^:]*:\([0-9]*\).*/\1/p' "$log")
  [ -n "$tls_port" ] && break
  sleep 0.1
done
[ "$(redis-cli --tls --cacert "$data/tls.pem" -p "$tls_port" PING)" = "PONG" ]
[ "$(redis-cli -p "$port" SET smoke:key "durable value")" = "OK" ]
[ "$(redis-cli -p "$port" INCR smoke:counter)" = "1" ]
# AUTH runs on private Biscuit instances that are recycled (src/auth/verifier_instance.ts); a binary
# that could not make one falls back to a never-recycled instance whose memory grows with every AUTH.
if grep -q "cannot make a private Biscuit instance" "$log"; then echo "smoke: the binary cannot recycle its Biscuit instance:"; cat "$log"; exit 1; fi
kill -TERM "$pid"; wait "$pid" || true
start
[ "$(redis-cli -p "$port" GET smoke:key)" = "durable value" ]
[ "$(redis-cli -p "$port" GET smoke:counter)" = "1" ]
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
echo "smoke: $binary ok (token, TLS, serve, write, SIGTERM, restart, read back)"

#!/bin/sh
# Starts a one-process FoundationDB server when MATERIA_LOCAL_FDB=1 (local
# development), or writes a cluster file from FDB_COORDINATOR, then runs materia.
set -eu
mkdir -p "$MATERIA_DATA"

if [ -n "${FDB_COORDINATOR:-}" ]; then
  # FoundationDB clients rewrite the cluster file when coordinators change: it must be writable.
  echo "docker:docker@${FDB_COORDINATOR}" > "$FDB_CLUSTER_FILE"
fi

if [ "${MATERIA_LOCAL_FDB:-1}" = "1" ]; then
  fdb_dir="$MATERIA_DATA/fdb"
  mkdir -p "$fdb_dir/data" "$fdb_dir/logs"
  first_start=0
  if [ ! -f "$FDB_CLUSTER_FILE" ]; then
    echo "local:$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')@127.0.0.1:4500" > "$FDB_CLUSTER_FILE"
    first_start=1
  fi
  fdbserver --public-address 127.0.0.1:4500 --listen-address 127.0.0.1:4500 \
    --cluster-file "$FDB_CLUSTER_FILE" --datadir "$fdb_dir/data" --logdir "$fdb_dir/logs" &
  if [ "$first_start" = "1" ]; then
    echo "materia-entrypoint: creating a single-process FoundationDB database (ssd storage)"
    until fdbcli -C "$FDB_CLUSTER_FILE" --exec "configure new single ssd" --timeout 10; do sleep 1; done
  fi
  until fdbcli -C "$FDB_CLUSTER_FILE" --exec "status minimal" --timeout 5 | grep -q "available"; do
    echo "materia-entrypoint: waiting for FoundationDB"
    sleep 1
  done
fi

exec materia "$@"

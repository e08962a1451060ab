#!/bin/sh
# Builds the FoundationDB test double into tests/fdb-sim/build/libfdb_c.so with the machine's C compiler.
# Usage: sh tests/fdb-sim/build.sh   (CC overrides the compiler; EXTRA_CFLAGS adds flags, e.g. -fsanitize=address)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/build"
mkdir -p "$out"
cc=${CC:-cc}
# -fvisibility=hidden: only the functions marked FDB_SIM_EXPORT (the fdb_* API and fdb_sim_* extras) are exported.
$cc -shared -fPIC -O2 -pthread -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -fvisibility=hidden \
  ${EXTRA_CFLAGS:-} \
  -o "$out/libfdb_c.so.tmp" "$here"/src/*.c
mv "$out/libfdb_c.so.tmp" "$out/libfdb_c.so"
echo "built $out/libfdb_c.so"

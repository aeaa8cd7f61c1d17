#!/usr/bin/env bash
# Two futureim binaries back to back on one private MariaDB (mysql target),
# for a fair comparison on a machine whose load varies.
#
# usage: bench/generate/compare.sh BINARY_A BINARY_B [SCALE...]   (default scales: 1 10)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
[ $# -ge 2 ] || { echo "usage: $0 BINARY_A BINARY_B [SCALE...]" >&2; exit 1; }
binaries=("$1" "$2")
shift 2
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(1 10)
work="$(mktemp -d "${TMPDIR:-/tmp}/futureim-bench-compare-XXXXXX")"
cleanup() {
  "$root/scripts/mariadb-private.sh" stop "$work/mariadb" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"$root/scripts/mariadb-private.sh" start "$work/mariadb" >/dev/null
# shellcheck disable=SC1091
. "$work/mariadb/instance.env"
export FUTUREIM_TARGET_PASSWORD="$MARIADB_STORE_PASSWORD"
target="mysql://$MARIADB_STORE_USER@127.0.0.1:$MARIADB_PORT/$MARIADB_DATABASE"
for scale in "${scales[@]}"; do
  for binary in "${binaries[@]}"; do
    line="$("$binary" --log-level warn generate --scale "$scale" --seed 1 --as-of 2026-01-01 \
      --replace --target "$target" --truth "$work/truth" | head -1)"
    echo "$binary scale $scale: ${line##*: } (load average $(cut -d' ' -f1 /proc/loadavg))"
  done
done

#!/usr/bin/env bash
# Store simulator benchmark: fills a private MariaDB (and a CSV folder) at the
# given scales and prints rows per second as the simulator reports them.
#
# usage: bench/generate/run.sh [BUILD_DIR] [SCALE...]
#   BUILD_DIR  where the futureim binary was built (default: build)
#   SCALE      scales to run (default: 1 10)
# Extra mariadbd options: FUTUREIM_BENCH_MARIADBD_OPTIONS (bench/private_mariadb.sh).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
shift || true
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(1 10)
binary="$root/$build/src/cli/futureim"
[ -x "$binary" ] || { echo "no futureim binary at $binary: build it first" >&2; exit 1; }

bench_name=generate
# shellcheck source=bench/private_mariadb.sh
. "$root/bench/private_mariadb.sh"
export FUTUREIM_TARGET_PASSWORD="$MARIADB_STORE_PASSWORD"

echo "futureim generate benchmark: $(nproc) cores, $(mariadbd --version 2>/dev/null | head -1)"
echo "server options: defaults of scripts/mariadb-private.sh ${FUTUREIM_BENCH_MARIADBD_OPTIONS:-}"
for scale in "${scales[@]}"; do
  for kind in mysql csv; do
    if [ "$kind" = mysql ]; then t="$target"; else t="csv:$work/csv-$scale/store"; fi
    line="$("$binary" --log-level warn generate --scale "$scale" --seed 1 --as-of 2026-01-01 \
      --replace --target "$t" --truth "$work/truth-$kind-$scale" | head -1)"
    # "... : N rows in S s (R rows/s)"
    echo "scale $scale -> $kind: ${line##*: }"
  done
done

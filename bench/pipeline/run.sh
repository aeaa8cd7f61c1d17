#!/usr/bin/env bash
# Curation benchmark: fills a private MariaDB at the given scale, replicates
# it into a fresh lake, then times `futureim pipeline run` twice:
#   full         the first run (every raw file of the full load)
#   incremental  after a batch of changes made on the source (UPDATEs of
#                orders and DELETEs of reviews, CHANGES rows in total) and
#                replicated: the run reads only the new raw files and
#                rewrites each curated table once.
#
# usage: bench/pipeline/run.sh [BUILD_DIR] [SCALE] [CHANGES]
#   defaults: build 10 10000
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
scale="${2:-10}"
changes="${3:-10000}"
binary="$root/$build/src/cli/futureim"
[ -x "$binary" ] || { echo "no futureim binary at $binary: build it first" >&2; exit 1; }

bench_name=pipeline
export FUTUREIM_BENCH_MARIADBD_OPTIONS="${FUTUREIM_BENCH_MARIADBD_OPTIONS:---innodb-buffer-pool-size=1G --innodb-log-file-size=512M}"
# shellcheck source=bench/private_mariadb.sh
. "$root/bench/private_mariadb.sh"
export FUTUREIM_WORKDIR="$work/futureim"
export FUTUREIM_SOURCE_PORT="$MARIADB_PORT"
export FUTUREIM_SOURCE_USER="$MARIADB_REPL_USER"
export FUTUREIM_SOURCE_DATABASE="$MARIADB_DATABASE"
export FUTUREIM_SOURCE_PASSWORD="$MARIADB_REPL_PASSWORD"
"$binary" --log-level warn init >/dev/null

seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "futureim pipeline benchmark: $(nproc) cores, scale $scale"
FUTUREIM_TARGET_PASSWORD="$MARIADB_STORE_PASSWORD" "$binary" --log-level warn generate \
  --scale "$scale" --seed 1 --as-of 2026-01-01 --target "$target" --truth "$work/truth" >/dev/null
start=$(seconds)
"$binary" --log-level warn replicate --until-caught-up >/dev/null
echo "replication (full load): $(elapsed "$start" "$(seconds)") s"

start=$(seconds)
"$binary" --log-level warn pipeline run --json >"$work/full.json"
end=$(seconds)
rows=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['curation']; print(sum(t['rows']+t['quarantined'] for t in r['tables']), sum(t['changes_read'] for t in r['tables']))" "$work/full.json")
echo "curation full: $(elapsed "$start" "$end") s (curated+quarantined rows, raw changes read: $rows)"

updates=$((changes * 8 / 10))
deletes=$((changes - updates))
mariadb --no-defaults -h 127.0.0.1 -P "$MARIADB_PORT" -u "$MARIADB_STORE_USER" \
  -p"$MARIADB_STORE_PASSWORD" "$MARIADB_DATABASE" -e "
  UPDATE orders SET order_status = 'delivered' WHERE order_status <> 'delivered' ORDER BY order_id LIMIT $updates;
  DELETE FROM reviews ORDER BY review_id LIMIT $deletes;"
"$binary" --log-level warn replicate --until-caught-up >/dev/null

start=$(seconds)
"$binary" --log-level warn pipeline run --json >"$work/incremental.json"
end=$(seconds)
read_changes=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['curation']; print(sum(t['changes_read'] for t in r['tables']), sum(t['raw_files_read'] for t in r['tables']))" "$work/incremental.json")
echo "curation incremental ($changes source changes): $(elapsed "$start" "$end") s (raw changes read, raw files read: $read_changes)"

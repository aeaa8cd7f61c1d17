#!/usr/bin/env bash
# Replication benchmark against a private MariaDB (started and removed here):
#   1. full load of a ROWS-row table: `futureim replicate --stop-after-load`
#      wall time divided by `mariadb --quick -e 'SELECT * FROM t' > /dev/null`
#      on the same table in the same run (goal <= 1.3);
#   2. CDC apply rate: CHANGES row changes (inserts, updates, deletes in
#      1000-row transactions) written while the replicator is stopped, then
#      `futureim replicate --until-caught-up` timed (goal >= 20,000 rows/s);
#   3. commit-to-queryable latency at replication.flush_interval_ms = 1000:
#      MARKERS single-row transactions, one every 200 ms, each row holding its
#      server time; a poller watches the committed manifest (a change is
#      queryable exactly when the manifest's commit covers it) and the
#      latency is the time it saw the row's commit minus the row's time
#      (goal p95 <= 2 s).
#
# usage: bench/replicate/run.sh [BUILD_DIR] [ROWS] [CHANGES] [MARKERS]
#   defaults: build 2000000 1000000 100
# Extra mariadbd options through FUTUREIM_BENCH_MARIADBD_OPTIONS, as in
# bench/generate/run.sh.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
rows="${2:-2000000}"
changes="${3:-1000000}"
markers="${4:-100}"
binary="$root/$build/src/cli/futureim"
[ "$changes" -le $((2 * rows)) ] || { echo "CHANGES must be at most 2 x ROWS" >&2; exit 1; }
[ -x "$binary" ] || { echo "no futureim binary at $binary: build it first" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/futureim-bench-replicate-XXXXXX")"
replicator=""
cleanup() {
  [ -n "$replicator" ] && kill "$replicator" 2>/dev/null && wait "$replicator" 2>/dev/null
  "$root/scripts/mariadb-private.sh" stop "$work/mariadb" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086
"$root/scripts/mariadb-private.sh" start "$work/mariadb" -- ${FUTUREIM_BENCH_MARIADBD_OPTIONS:-} >/dev/null
# shellcheck disable=SC1091
. "$work/mariadb/instance.env"
store() { mariadb -h 127.0.0.1 -P "$MARIADB_PORT" -u "$MARIADB_STORE_USER" -p"$MARIADB_STORE_PASSWORD" "$MARIADB_DATABASE" "$@"; }
repl() { mariadb -h 127.0.0.1 -P "$MARIADB_PORT" -u "$MARIADB_REPL_USER" -p"$MARIADB_REPL_PASSWORD" "$@"; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

export FUTUREIM_WORKDIR="$work" FUTUREIM_LAKE_PATH="$work/lake" FUTUREIM_LOG_LEVEL=warn
export FUTUREIM_SOURCE_PORT="$MARIADB_PORT" FUTUREIM_SOURCE_USER="$MARIADB_REPL_USER"
export FUTUREIM_SOURCE_PASSWORD="$MARIADB_REPL_PASSWORD"

echo "futureim replicate benchmark: $(nproc) cores, $(mariadbd --version 2>/dev/null | head -1)"

# A table of ROWS rows with the store's usual column kinds.
store -e "CREATE TABLE bench_load (id BIGINT PRIMARY KEY, customer_id INT NOT NULL,
  name VARCHAR(40) NOT NULL, amount DECIMAL(12,2), placed DATETIME(6), status ENUM('new','paid','gone'),
  note VARCHAR(100)) ENGINE=InnoDB;
  CREATE TABLE digits (d INT PRIMARY KEY); INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
  CREATE TABLE numbers (n INT PRIMARY KEY);
  INSERT INTO numbers SELECT a.d + 10*b.d + 100*c.d + 1000*e.d + 10000*f.d + 100000*g.d + 1000000*h.d
    FROM digits a, digits b, digits c, digits e, digits f, digits g, digits h;"
store -e "SET SESSION max_statement_time = 0;
  INSERT INTO bench_load SELECT n, n % 50000, concat('customer ', n), (n % 100000) / 100,
    '2024-01-01' + INTERVAL n SECOND, elt(1 + n % 3, 'new', 'paid', 'gone'), repeat('x', n % 60)
    FROM numbers WHERE n < $rows;"

# CPU seconds (user + sys) the server has used so far, from /proc (clock ticks).
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / hz}' "/proc/$MARIADB_PID/stat"; }
# Runs a command, prints "WALL CLIENT_CPU SERVER_CPU" (seconds): its wall time,
# its own user+sys CPU (children included) and the server's CPU meanwhile.
# CPU seconds depend much less on other load on the machine than wall time.
timed() {
  local s0 s1 t0 t1 cpu
  s0="$(server_cpu)"; t0="$(now)"
  cpu="$(python3 -c "import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f'{r.ru_utime + r.ru_stime:.2f}')" "$@")"
  t1="$(now)"; s1="$(server_cpu)"
  echo "$(elapsed "$t0" "$t1") $cpu $(python3 -c "print(f'{$s1 - $s0:.2f}')")"
}

# 1. Full load versus a plain streaming SELECT, same table, same user.
export FUTUREIM_REPLICATION_INCLUDE="ecommerce.bench_load"
repl --quick -e "SELECT * FROM ecommerce.bench_load" > /dev/null  # warm the buffer pool
read -r select_s select_cpu select_server_cpu < <(timed mariadb -h 127.0.0.1 \
  -P "$MARIADB_PORT" -u "$MARIADB_REPL_USER" -p"$MARIADB_REPL_PASSWORD" --quick \
  -e "SELECT * FROM ecommerce.bench_load")
read -r load_s load_cpu load_server_cpu < <(timed "$binary" replicate --stop-after-load)
lake_mb="$(du -sm "$work/lake/raw" | cut -f1)"
echo "full load: $rows rows, futureim ${load_s} s, mariadb --quick SELECT ${select_s} s," \
  "ratio $(python3 -c "print(f'{$load_s / $select_s:.2f}')"), lake ${lake_mb} MB"
echo "full load CPU seconds (user+sys): futureim ${load_cpu} + server ${load_server_cpu}," \
  "mariadb --quick ${select_cpu} + server ${select_server_cpu}; ratio of totals" \
  "$(python3 -c "print(f'{($load_cpu + $load_server_cpu) / ($select_cpu + $select_server_cpu):.2f}')")"

# 2. CDC apply rate from a backlog of multi-row transactions.
batches=$((changes / 4000))
{
  echo "SET SESSION max_statement_time = 0;"
  for ((b = 0; b < batches; b++)); do
    lo=$((rows + b * 2000))
    echo "INSERT INTO bench_load SELECT $lo + n, n, 'new', 1.00, NOW(6), 'new', '' FROM numbers WHERE n < 2000;"
    echo "UPDATE bench_load SET amount = amount + 1, status = 'paid' WHERE id >= $((b * 1000)) AND id < $((b * 1000 + 1000));"
    echo "DELETE FROM bench_load WHERE id >= $((rows / 2 + b * 1000)) AND id < $((rows / 2 + b * 1000 + 1000));"
  done
} > "$work/changes.sql"
store < "$work/changes.sql"
manifest="$work/lake/raw/_futureim/replication/manifest.json"
changes_in_lake() {
  python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['tables']['ecommerce.bench_load']['counters']; print(c['inserts'] + c['updates'] + c['deletes'])" "$manifest"
}
before="$(changes_in_lake)"
t0="$(now)"; "$binary" replicate --until-caught-up; t1="$(now)"
cdc_s="$(elapsed "$t0" "$t1")"
applied=$(($(changes_in_lake) - before))
echo "CDC: $applied row changes ($((batches * 3)) transactions of 1000-2000 rows) applied in ${cdc_s} s:" \
  "$(python3 -c "print(f'{$applied / $cdc_s:,.0f}')") rows/s"

# 3. Commit-to-queryable latency at a 1 s flush interval.
store -e "CREATE TABLE bench_marker (id INT PRIMARY KEY, at_us BIGINT NOT NULL)"
export FUTUREIM_REPLICATION_INCLUDE="ecommerce.bench_marker"
export FUTUREIM_REPLICATION_FLUSH_INTERVAL_MS=1000
"$binary" replicate &
replicator=$!
python3 "$root/bench/replicate/latency_poller.py" "$manifest" \
  ecommerce.bench_marker "$markers" > "$work/visible.txt" &
poller=$!
sleep 3  # the (empty) full load of bench_marker
for ((i = 1; i <= markers; i++)); do
  store -e "INSERT INTO bench_marker VALUES ($i, CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS INTEGER))"
  sleep 0.2
done
wait "$poller"
kill -TERM "$replicator"; wait "$replicator" || true; replicator=""
store -N -e "SELECT id, at_us FROM bench_marker ORDER BY id" > "$work/committed.txt"
python3 - "$work/committed.txt" "$work/visible.txt" <<'EOF'
import sys
committed = dict(map(int, line.split()) for line in open(sys.argv[1]))
visible = dict(map(int, line.split()) for line in open(sys.argv[2]))
latencies = sorted((visible[i] - committed[i]) / 1e6 for i in committed)
def pct(p):
    return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]
print(f"latency at 1 s flush, {len(latencies)} markers: p50 {pct(50):.2f} s, "
      f"p95 {pct(95):.2f} s, p99 {pct(99):.2f} s, max {latencies[-1]:.2f} s")
EOF

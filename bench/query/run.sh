#!/usr/bin/env bash
# Query latency benchmark: typical dashboard aggregates over the lake.
# Fills a private MariaDB with the simulated store at each scale, replicates
# it into a fresh lake (`futureim replicate --until-caught-up`), crawls the
# catalog, then runs each query REPEAT times on one set of views
# (`futureim query --repeat`) and prints p50/p95 per query. With TIER=raw
# (default) queries read raw_current.* (the current state per key, computed
# from the change files at query time); with TIER=curated the benchmark runs
# `futureim pipeline run` first and the same queries read curated.* (the
# merged, protected, encrypted state: what the dashboard reads).
#
# usage: bench/query/run.sh [BUILD_DIR] [SCALE...]
#   BUILD_DIR  where the futureim binary was built (default: build)
#   SCALE      scales to run (default: 1)
# REPEAT (environment) sets the repetitions per query (default 20); TIER
# (environment) is raw or curated (default raw).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
shift || true
scales=("$@")
[ ${#scales[@]} -gt 0 ] || scales=(1)
repeat="${REPEAT:-20}"
tier="${TIER:-raw}"
case "$tier" in raw) view_schema=raw_current ;; curated) view_schema=curated ;; *)
  echo "TIER must be raw or curated" >&2; exit 2 ;; esac
case "$build" in /*) ;; *) build="$root/$build" ;; esac
binary="$build/src/cli/futureim"
[ -x "$binary" ] || { echo "no futureim binary at $binary: build it first" >&2; exit 1; }

bench_name=query
# shellcheck source=bench/private_mariadb.sh
. "$root/bench/private_mariadb.sh"

# name|SQL: what a sales dashboard asks.
queries=(
  "revenue per day|SELECT CAST(order_date AS DATE) AS day, count(*) AS orders, sum(total_amount) AS revenue FROM raw_current.orders GROUP BY 1 ORDER BY 1"
  "top 10 products by revenue|SELECT p.product_name, sum(i.quantity) AS units, sum(i.total_amount) AS revenue FROM raw_current.order_items i JOIN raw_current.products p USING (product_id) GROUP BY 1 ORDER BY 3 DESC LIMIT 10"
  "orders by country and status|SELECT shipping_country, order_status, count(*) AS orders, sum(total_amount) AS revenue FROM raw_current.orders GROUP BY ALL ORDER BY 3 DESC"
  "customer counts|SELECT count(*) AS customers, count(*) FILTER (WHERE is_active) AS active, count(DISTINCT country) AS countries FROM raw_current.customers"
  "customers with orders, average order value|SELECT count(DISTINCT customer_id) AS buyers, avg(total_amount) AS avg_order FROM raw_current.orders"
  "raw change count by table op|SELECT _op, count(*) FROM raw.orders GROUP BY 1"
)

echo "futureim query benchmark ($view_schema.*): $(nproc) cores, $(mariadbd --version 2>/dev/null | head -1), $repeat repetitions per query"
for scale in "${scales[@]}"; do
  export FUTUREIM_WORKDIR="$work/futureim-$scale"
  export FUTUREIM_SOURCE_PORT="$MARIADB_PORT"
  export FUTUREIM_SOURCE_USER="$MARIADB_REPL_USER"
  export FUTUREIM_SOURCE_DATABASE="$MARIADB_DATABASE"
  export FUTUREIM_SOURCE_PASSWORD="$MARIADB_REPL_PASSWORD"
  "$binary" --log-level warn init >/dev/null
  FUTUREIM_TARGET_PASSWORD="$MARIADB_STORE_PASSWORD" "$binary" --log-level warn generate \
    --scale "$scale" --seed 1 --as-of 2026-01-01 --replace --target "$target" \
    --truth "$work/truth-$scale" >/dev/null
  start=$(date +%s.%N)
  "$binary" --log-level warn replicate --resnapshot --until-caught-up >/dev/null
  end=$(date +%s.%N)
  echo "scale $scale: replicated in $(echo "$end - $start" | bc) s; lake $(du -sh "$FUTUREIM_WORKDIR/lake" | cut -f1)"
  if [ "$tier" = curated ]; then
    start=$(date +%s.%N)
    "$binary" --log-level warn pipeline run >/dev/null
    end=$(date +%s.%N)
    echo "scale $scale: curated in $(echo "$end - $start" | bc) s"
  fi
  "$binary" --log-level warn crawl | grep -E '^(table|raw\.(orders|order_items|products|customers)) ' || true
  for entry in "${queries[@]}"; do
    name="${entry%%|*}"
    sql="${entry#*|}"
    sql="${sql//raw_current./$view_schema.}"
    timing="$("$binary" --log-level warn query --format csv --repeat "$repeat" "$sql" 2>&1 >/dev/null | grep '^latency')"
    echo "scale $scale | $name | ${timing#latency over }"
  done
done

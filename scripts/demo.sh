#!/usr/bin/env bash
# The demo: a private MariaDB with the store schema, an installation folder,
# and the status of everything. It grows with each capability that lands.
# Usage: scripts/demo.sh FUTUREIM_BINARY DEMO_DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
futureim="$1"
demo="$2"
mkdir -p "$demo"

echo "== private MariaDB (source database) =="
"$here/mariadb-private.sh" start "$demo/mariadb"
# shellcheck disable=SC1091
source "$demo/mariadb/instance.env"

echo "== installation folder =="
export FUTUREIM_WORKDIR="$demo/futureim"
export FUTUREIM_SOURCE_PORT="$MARIADB_PORT"
export FUTUREIM_SOURCE_USER="$MARIADB_REPL_USER"
export FUTUREIM_SOURCE_DATABASE="$MARIADB_DATABASE"
export FUTUREIM_SOURCE_PASSWORD="$MARIADB_REPL_PASSWORD"
# The first admin's password: made once per demo folder and kept beside it
# (mode 0600), so a re-run can still sign in.
if [[ ! -s "$demo/admin-password" ]]; then
  (umask 077 && openssl rand -base64 18 | tr -d '\n' >"$demo/admin-password")
fi
admin_email="admin@localhost"
FUTUREIM_ADMIN_PASSWORD="$(cat "$demo/admin-password")" "$futureim" init --admin-email "$admin_email"

echo "== source check (binlog settings, grants, TLS, tables) =="
"$futureim" check-source

echo "== simulated store (scale 1, seed 42) =="
target="mysql://$MARIADB_STORE_USER@127.0.0.1:$MARIADB_PORT/$MARIADB_DATABASE"
# --replace makes a re-run reload the same deterministic store.
FUTUREIM_TARGET_PASSWORD="$MARIADB_STORE_PASSWORD" "$futureim" generate --scale 1 --seed 42 \
  --replace --target "$target" --truth "$demo/truth"

echo "== replication: full load into the raw tier (lake/raw) =="
# --resnapshot: a re-run starts the lake over, as the store was just reloaded.
"$futureim" replicate --resnapshot --stop-after-load

echo "== CDC while the store trades live for a few seconds =="
"$futureim" replicate &
replicator=$!
FUTUREIM_TARGET_PASSWORD="$MARIADB_STORE_PASSWORD" "$futureim" generate --live 20 \
  --live-seconds 5 --target "$target" --truth "$demo/truth"
kill -TERM "$replicator"
wait "$replicator"
"$futureim" replicate --until-caught-up

echo "== verify: the source against the lake's current state =="
# The trader deletes orders; InnoDB cascades to their items, payments and
# shipments without binlog events, and the lake's current state applies the
# same ON DELETE rules, so verify must find zero differences.
"$futureim" verify

echo "== query the lake (read-only SQL over the raw tier's current state) =="
"$futureim" query "SELECT order_status, count(*) AS orders, round(sum(total_amount), 2) AS revenue FROM raw_current.orders GROUP BY 1 ORDER BY 2 DESC"

echo "== curation: raw → curated (merged by _seq, protected, validated, encrypted, atomic run) =="
"$futureim" pipeline run

echo "== query the curated tier (encrypted Parquet, read with the lake key) =="
"$futureim" query "SELECT order_status, count(*) AS orders, round(sum(total_amount), 2) AS revenue FROM curated.orders GROUP BY 1 ORDER BY 2 DESC"
echo "-- customers as curated stores them: tokens and masks, never the raw email or phone"
"$futureim" query "SELECT customer_id, email_token, email_masked, phone_masked, country FROM curated.customers ORDER BY customer_id LIMIT 3"

echo "== Retail Copilot: questions in plain language, answered from the lake (the second follows up the first) =="
"$futureim" copilot ask "top 5 products by revenue last month" "and in Germany?"

echo "== catalog: every tier's tables, partitions, rows, sizes, freshness =="
"$futureim" crawl

echo "== DDL so Trino reads the lake in place (first lines) =="
"$futureim" catalog ddl --dialect trino | sed -n '1,30p'

echo "== status =="
"$futureim" status

echo "== audit log: verify the hash chain =="
"$futureim" audit verify

echo "== serve: replication, the scheduled pipeline and the API in one process =="
# A server left by an earlier demo run is stopped first (by its recorded pid).
if [[ -s "$demo/serve.pid" ]] && kill -0 "$(cat "$demo/serve.pid")" 2>/dev/null; then
  kill -TERM "$(cat "$demo/serve.pid")"
  while kill -0 "$(cat "$demo/serve.pid")" 2>/dev/null; do sleep 0.1; done
fi
listen="127.0.0.1:${FUTUREIM_DEMO_PORT:-8080}"
# Every part runs (no part flag); a short pipeline interval so the demo shows
# new orders reaching the curated tier while it watches.
interval="${FUTUREIM_DEMO_PIPELINE_INTERVAL:-10}"
FUTUREIM_PIPELINE_INTERVAL_SECONDS="$interval" nohup "$futureim" serve --listen "$listen" \
  >"$demo/serve.log" 2>&1 &
echo $! >"$demo/serve.pid"
url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's/.*API at \(http[^ ]*\).*/\1/p' "$demo/serve.log" | head -n1)"
  [[ -n "$url" ]] && break
  kill -0 "$(cat "$demo/serve.pid")" 2>/dev/null || { cat "$demo/serve.log"; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "futureim serve did not start"; cat "$demo/serve.log"; exit 1; }
head -n1 "$demo/serve.log"
login="$(curl -sS -X POST "$url/auth/login" -H 'Content-Type: application/json' \
  --data "{\"email\":\"$admin_email\",\"password\":\"$(cat "$demo/admin-password")\"}")"
token="$(printf '%s' "$login" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
echo "-- GET /auth/me"
curl -sS "$url/auth/me" -H "Authorization: Bearer $token"
echo
echo "-- POST /query (orders by status, over the lake)"
curl -sS -X POST "$url/query" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data '{"sql":"SELECT order_status, count(*) AS orders FROM raw_current.orders GROUP BY 1 ORDER BY 2 DESC","max_rows":10}'
echo
echo "-- GET /ready (source, lake, metadata database)"
curl -sS "$url/ready"
echo
echo "-- GET /metrics (Prometheus text; a selection of the series)"
curl -sS "$url/metrics" -H "Authorization: Bearer $token" |
  grep -E '^futureim_(http_requests_total|replication_(lag_seconds|changes_applied_total)|data_quality_score|lake_(bytes|files)|pipeline_runs_total|alarm_firing)' |
  head -n 40
echo "-- GET /ops/alarms (the rules are evaluated every alarms.interval_seconds)"
sleep 1
curl -sS "$url/ops/alarms" -H "Authorization: Bearer $token"
echo

# The newest order the curated tier has, read through the running API.
newest_curated_order() {
  curl -sS -X POST "$url/query" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    --data '{"sql":"SELECT count(*) AS orders, max(order_date) AS newest FROM curated.orders"}' |
    tr -d '\n' | sed -n 's/.*"rows":\[ *\(.*\)\].*/\1/p'
}
before="$(newest_curated_order)"
echo "-- curated.orders now: $before"
echo "-- the store keeps trading for 10 s; the running serve replicates and curates it"
FUTUREIM_TARGET_PASSWORD="$MARIADB_STORE_PASSWORD" "$futureim" generate --live 20 \
  --live-seconds 10 --target "$target" --truth "$demo/truth"
after="$before"
for _ in $(seq 1 $((interval * 6))); do
  after="$(newest_curated_order)"
  [[ "$after" != "$before" ]] && break
  sleep 1
done
echo "-- curated.orders after the scheduled pipeline ran: $after"
[[ "$after" != "$before" ]] || { echo "the live orders did not reach curated.orders"; exit 1; }
echo "-- GET /data/health (the home page's data health, recomputed after each run; first tables)"
curl -sS "$url/data/health" -H "Authorization: Bearer $token" | head -c 700
echo
echo "-- pipeline runs in serve's log so far: $(grep -c pipeline_run "$demo/serve.log" || true)"

echo "-- GET / (the dashboard, served by the same process)"
curl -sS -o /dev/null -w '%{http_code} %{content_type}\n' -H 'Accept: text/html' "$url/"
dashboard="$(sed -n -e 's/.*dashboard at \(http[^ ]*\).*/\1/p' \
  -e 's/.*dashboard \(not built.*\)/\1/p' "$demo/serve.log" | head -n1)"

cat <<EOT

futureim serve is running: replication (CDC), the pipeline every $interval s, and the API
The dashboard:      $dashboard  (sign in with the first login below)
API:                $url  (routes: $url/openapi.json; pid $(cat "$demo/serve.pid"), log $demo/serve.log)
First login:        $admin_email  /  $(cat "$demo/admin-password")
Stop it with:       kill $(cat "$demo/serve.pid")   (SIGTERM: drains the API, finishes the running pipeline run, commits replication)
The demo's source database is running (pid $MARIADB_PID, port $MARIADB_PORT).
Stop it with:       scripts/mariadb-private.sh stop $demo/mariadb
EOT

#!/usr/bin/env bash
# API benchmark (issue 6): `futureim serve --api` against nginx serving the
# same bytes, in the same run, on the same machine.
#
# 1. A private MariaDB is filled by `futureim generate` (scale SCALE), which
#    `futureim replicate --until-caught-up` and `futureim pipeline run` turn
#    into a curated lake, so GET /data/health (the home page's data health,
#    a viewer+ route whose body is precomputed after each pipeline run) has
#    its real ~1.5 KB body.
# 2. `futureim serve --api` on 127.0.0.1; an admin signs in; the route's body
#    is saved and a private nginx (generated config in the work folder, bound
#    to 127.0.0.1, not the system service) serves exactly those bytes.
# 3. wrk -t2 -c64 -d10s against both: requests/s, p99 and the ratio
#    (goal: >= 0.5 of nginx's requests/s, p99 <= 10 ms).
# 4. Logins per second (POST /auth/login, the Argon2id parameters of
#    src/auth/password.h) and, during that login flood, the p99 of a cheap
#    authenticated route (GET /data/health) from a second wrk: neither the
#    I/O threads nor the user check may wait for password hashing.
#
# The per-IP and per-user rate limits are raised for the run (every request
# comes from 127.0.0.1 and one user): they still run on every request, but
# would otherwise answer 429 after the first few thousand. Responses other
# than 2xx are counted by wrk and make the script fail.
#
# usage: bench/api/run.sh [BUILD_DIR]    (needs `scripts/setup.sh --bench`)
# SCALE (environment): store scale (default 0.1); DURATION: wrk seconds (10).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
binary="$build/src/cli/futureim"
[ -x "$binary" ] || { echo "no futureim binary at $binary: build it first" >&2; exit 1; }
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "$tool is missing: run scripts/setup.sh --bench" >&2; exit 1; }
done
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
scale="${SCALE:-0.1}"
duration="${DURATION:-10}"

bench_name=api
# shellcheck source=bench/private_mariadb.sh
. "$root/bench/private_mariadb.sh"
serve_pid=""
nginx_pid=""
# nginx's own folder: outside $work (mode 0700), since nginx started as root
# reads files as an unprivileged worker user; it holds only the public body.
nginx_dir="$(mktemp -d "${TMPDIR:-/tmp}/futureim-bench-nginx-XXXXXX")"
chmod 755 "$nginx_dir"
stop_servers() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$nginx_dir"
  cleanup
}
trap stop_servers EXIT

export FUTUREIM_WORKDIR="$work/futureim"
export FUTUREIM_SOURCE_PORT="$MARIADB_PORT"
export FUTUREIM_SOURCE_USER="$MARIADB_REPL_USER"
export FUTUREIM_SOURCE_DATABASE="$MARIADB_DATABASE"
export FUTUREIM_SOURCE_PASSWORD="$MARIADB_REPL_PASSWORD"
# A fresh admin password per run (mixed classes for the password rules).
FUTUREIM_ADMIN_PASSWORD="Aa1!$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export FUTUREIM_ADMIN_PASSWORD
export FUTUREIM_SERVER_RATE_LIMIT_IP_PER_MINUTE=100000000
export FUTUREIM_SERVER_RATE_LIMIT_USER_PER_MINUTE=100000000
export FUTUREIM_AUTH_LOGIN_IP_PER_MINUTE=1000000
admin=bench@example.com

echo "futureim API benchmark: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $("$nginx_bin" -v 2>&1 | cut -d' ' -f3)"
"$binary" --log-level warn init --admin-email "$admin" >/dev/null
FUTUREIM_TARGET_PASSWORD="$MARIADB_STORE_PASSWORD" "$binary" --log-level warn generate \
  --scale "$scale" --seed 1 --as-of 2026-01-01 --replace --target "$target" >/dev/null
"$binary" --log-level warn replicate --until-caught-up >/dev/null
"$binary" --log-level warn pipeline run >/dev/null

# The API on any free port (read back from its first line).
"$binary" --log-level warn serve --api --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 200); do
  port="$(sed -n 's|.*API at http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.log")"
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { echo "futureim serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
api="http://127.0.0.1:$port"
token="$(curl -s -H 'Content-Type: application/json' \
  -d "{\"email\":\"$admin\",\"password\":\"$FUTUREIM_ADMIN_PASSWORD\"}" "$api/auth/login" |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
[ -n "$token" ] || { echo "login failed" >&2; exit 1; }

# nginx serving the same bytes.
mkdir -p "$nginx_dir/www/data" "$nginx_dir/conf"
curl -sf -H "Authorization: Bearer $token" "$api/data/health" >"$nginx_dir/www/data/health"
bytes=$(wc -c <"$nginx_dir/www/data/health")
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$nginx_dir/conf/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $nginx_dir/conf/nginx.pid;
error_log $nginx_dir/conf/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $nginx_dir/conf/body;
  proxy_temp_path $nginx_dir/conf/proxy;
  fastcgi_temp_path $nginx_dir/conf/fastcgi;
  uwsgi_temp_path $nginx_dir/conf/uwsgi;
  scgi_temp_path $nginx_dir/conf/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $nginx_dir/www;
    location = /data/health { default_type application/json; }
  }
}
CONF
"$nginx_bin" -p "$nginx_dir/conf" -c "$nginx_dir/conf/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$nginx_port/data/health" >/dev/null && break; sleep 0.05; done
cmp <(curl -sf "http://127.0.0.1:$nginx_port/data/health") "$nginx_dir/www/data/health" ||
  { echo "nginx does not serve the same bytes" >&2; exit 1; }

# wrk's report -> "requests/s p99_ms"; fails on non-2xx answers or errors.
summarize() {
  local report="$1"
  if grep -q "Non-2xx" <<<"$report"; then echo "wrk saw error responses:" >&2; echo "$report" >&2; exit 1; fi
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v);
                  p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
    END { printf "%.0f %.2f\n", rps, p99 }' <<<"$report"
}
run_wrk() { wrk --latency "$@"; }

echo "body: GET /data/health, $bytes bytes (viewer+ route; precomputed after each pipeline run)"
run_wrk -t2 -c64 -d"${duration}s" "$api/data/health" -H "Authorization: Bearer $token" >/dev/null  # warm-up
futureim_report="$(run_wrk -t2 -c64 -d"${duration}s" -H "Authorization: Bearer $token" "$api/data/health")"
nginx_report="$(run_wrk -t2 -c64 -d"${duration}s" "http://127.0.0.1:$nginx_port/data/health")"
read -r f_rps f_p99 <<<"$(summarize "$futureim_report")"
read -r n_rps n_p99 <<<"$(summarize "$nginx_report")"
ratio=$(awk -v a="$f_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }')
printf "%-34s %12s %10s\n" "wrk -t2 -c64 -d${duration}s" "requests/s" "p99 ms"
printf "%-34s %12s %10s\n" "futureim GET /data/health (JWT)" "$f_rps" "$f_p99"
printf "%-34s %12s %10s\n" "nginx, same bytes (static file)" "$n_rps" "$n_p99"
goal=$(awk -v r="$ratio" -v p="$f_p99" 'BEGIN { print (r >= 0.5 && p <= 10) ? "met" : "MISSED" }')
echo "ratio futureim/nginx: $ratio (goal >= 0.5 with p99 <= 10 ms: $goal)"

# Logins per second, and a cheap route's p99 during the login flood.
cat >"$work/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"$admin","password":"$FUTUREIM_ADMIN_PASSWORD"}'
LUA
run_wrk -t1 -c8 -d"${duration}s" -s "$work/login.lua" "$api/auth/login" >"$work/login.txt" &
login_pid=$!
sleep 1
health_report="$(run_wrk -t1 -c4 -d"$((duration - 2))s" -H "Authorization: Bearer $token" \
  "$api/data/health")"
wait "$login_pid"
read -r l_rps l_p99 <<<"$(summarize "$(cat "$work/login.txt")")"
read -r h_rps h_p99 <<<"$(summarize "$health_report")"
echo "logins (POST /auth/login, Argon2id ops 2, 64 MiB, 8 connections): $l_rps/s, p99 $l_p99 ms"
echo "GET /data/health (JWT) during the login flood (4 connections): $h_rps requests/s, p99 $h_p99 ms"

# shellcheck shell=bash disable=SC2034,SC2154
# Sourced by the benchmarks (bench/*/run.sh): a fresh work folder with a
# private MariaDB in it, both removed when the script exits.
# Needs: root (the repository), bench_name. Sets: work, target (the store
# user's mysql:// URI) and the MARIADB_* variables of instance.env.
# Extra mariadbd options (e.g. a larger buffer pool) can be passed through
# FUTUREIM_BENCH_MARIADBD_OPTIONS="--innodb-buffer-pool-size=1G ...".

work="$(mktemp -d "${TMPDIR:-/tmp}/futureim-bench-$bench_name-XXXXXX")"
cleanup() {
  "$root/scripts/mariadb-private.sh" stop "$work/mariadb" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086
"$root/scripts/mariadb-private.sh" start "$work/mariadb" -- ${FUTUREIM_BENCH_MARIADBD_OPTIONS:-} >/dev/null
# shellcheck disable=SC1091
. "$work/mariadb/instance.env"
target="mysql://$MARIADB_STORE_USER@127.0.0.1:$MARIADB_PORT/$MARIADB_DATABASE"

#!/usr/bin/env bash
# Installs everything the build, the demo and the tests need, from Debian's
# packages and the npm registry only. Idempotent: when everything is present
# it checks and prints one line.
#
#   scripts/setup.sh           the build, the tests and the demo
#   scripts/setup.sh --bench   also the benchmarks' tools (wrk, nginx: bench/api)
set -euo pipefail

bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    *) echo "usage: scripts/setup.sh [--bench]" >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Debian packages the build, the tests and the demo use.
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang-format clang-tidy
  libboost-dev libmariadb-dev libsqlite3-dev libsodium-dev libssl-dev
  libcurl4-openssl-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libtomlplusplus-dev libcli11-dev libeigen3-dev libxgboost-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  mariadb-server mariadb-client
  ca-certificates curl xz-utils openssl
)
# The benchmarks' tools (bench/api/run.sh): the load generator and the
# reference server. nginx runs only as a private instance the bench starts.
bench_packages=(wrk nginx-light)
if [ "$bench" = 1 ]; then packages+=("${bench_packages[@]}"); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged MariaDB service on install; the product only ever
  # uses private instances, so the system one is stopped to free port 3306.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now mariadb >/dev/null 2>&1 || true; fi
  service mariadb stop >/dev/null 2>&1 || true
  # Likewise the packaged nginx: the bench starts its own on 127.0.0.1.
  if [ "$bench" = 1 ]; then
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi
    service nginx stop >/dev/null 2>&1 || true
  fi
fi

"$here/fetch-duckdb.sh"
"$here/fetch-s3rver.sh"
echo "setup: all dependencies present"

#!/usr/bin/env bash
# Brings DuckDB 1.4.4 (prebuilt libduckdb.so + the matching headers) from the
# npm registry into a cache folder outside the tree, checking each package
# against its pinned sha512 integrity. DuckDB is never compiled here.
#
# Prints nothing when the cache is already complete.
set -euo pipefail

version=1.4.4
cache="${FUTUREIM_DUCKDB_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/futureim/duckdb-$version}"

# name@version  sha512 integrity (as published in the registry's metadata)
lib_pkg="@duckdb/node-bindings-linux-x64@1.4.4-r.1"
lib_sri="sha512-fjYNc+t4/T7mhzZ57oJoIQaWvbYVvxhidcNNansQFiWnd6/JMLCULd4qnt8XI3Tt2BrZsraH690KSBIS3QPt0w=="
hdr_pkg="duckdb@1.4.4"
hdr_sri="sha512-hEJJ5hyVF0VLj3dmOLpsWrQR0b3d4Ykqtygm6iUXjHJDDnSqg/USKxcb5qvNrOhFYPgktayU6dXCtgPqcmmpog=="

if [ -f "$cache/.complete" ]; then exit 0; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() { # pkg sri -> path of the verified tarball
  local pkg="$1" sri="$2"
  (cd "$work" && npm pack --silent "$pkg" 2>/dev/null) >"$work/name"
  local tgz="$work/$(tail -n1 "$work/name")"
  local got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$sri" ]; then
    echo "fetch-duckdb: integrity mismatch for $pkg (got $got)" >&2
    exit 1
  fi
  echo "$tgz"
}

echo "fetch-duckdb: fetching DuckDB $version from the npm registry into $cache"
lib_tgz="$(fetch "$lib_pkg" "$lib_sri")"
hdr_tgz="$(fetch "$hdr_pkg" "$hdr_sri")"

mkdir -p "$work/lib" "$work/hdr"
tar -xzf "$lib_tgz" -C "$work/lib"
# Only headers are needed from the 'duckdb' package (it holds the whole
# source): the C API header, and the C++ headers that the Parquet encryption
# hook (lake/) compiles against, with the third-party headers they include.
tar -xzf "$hdr_tgz" -C "$work/hdr" --wildcards \
  'package/LICENSE' 'package/src/duckdb/src/include/*' \
  'package/src/duckdb/third_party/*.h' 'package/src/duckdb/third_party/*.hpp'

rm -rf "$cache.tmp"
mkdir -p "$cache.tmp/lib" "$cache.tmp/include"
cp "$(find "$work/lib" -name libduckdb.so | head -n1)" "$cache.tmp/lib/"
cp -r "$work/hdr/package/src/duckdb/src/include/." "$cache.tmp/include/"
cp -r "$work/hdr/package/src/duckdb/third_party" "$cache.tmp/third_party"
if [ -f "$work/hdr/package/LICENSE" ]; then cp "$work/hdr/package/LICENSE" "$cache.tmp/LICENSE"; fi
touch "$cache.tmp/.complete"
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "fetch-duckdb: done"

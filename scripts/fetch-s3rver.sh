#!/usr/bin/env bash
# Installs s3rver (an S3-compatible server in Node.js, MIT) from the npm
# registry into a cache folder outside the tree, exactly as pinned by
# scripts/s3rver/package-lock.json (npm ci checks every package's integrity).
# Only the S3ObjectStore integration test uses it; the product never does.
#
# Prints nothing when the cache is already complete.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${FUTUREIM_S3RVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/futureim/s3rver-3.7.1}"

if [ -f "$cache/.complete" ] && cmp -s "$here/s3rver/package-lock.json" "$cache/package-lock.json"; then
  exit 0
fi

echo "fetch-s3rver: installing s3rver 3.7.1 from the npm registry into $cache"
rm -rf "$cache.tmp"
mkdir -p "$cache.tmp"
cp "$here/s3rver/package.json" "$here/s3rver/package-lock.json" "$cache.tmp/"
(cd "$cache.tmp" && npm ci --silent --no-audit --no-fund --omit=dev >/dev/null 2>&1) || {
  echo "fetch-s3rver: npm ci failed" >&2
  exit 1
}
touch "$cache.tmp/.complete"
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "fetch-s3rver: done"

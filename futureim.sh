#!/usr/bin/env bash
# The two entry points of the README:
#   ./futureim.sh demo   set up, build, and run the demo end to end
#   ./futureim.sh test   set up, build, and run every test (also under ASan+UBSan)
# Both install what they need (Debian packages, npm) and are safe to re-run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
jobs="$(nproc)"

build() { # dir build-type extra-cmake-args...
  local dir="$1" type="$2"
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  fi
  cmake --build "$dir" -j "$jobs"
}

# ctest, then — when a test failed — each failed test's assertion lines
# again at the very end, where a CI log's tail shows them.
run_tests() { # build-dir ctest-args...
  local dir="$1"
  shift
  if ctest --test-dir "$dir" --output-on-failure -j "$jobs" "$@"; then return 0; fi
  echo "== what the failed tests said =="
  grep -E -A12 '(: Failure$|Sanitizer|runtime error:|\[  FAILED  \])' \
    "$dir/Testing/Temporary/LastTest.log" | grep -v '^\[       OK \]' | tail -120 || true
  return 1
}

cmd_test() {
  scripts/setup.sh
  scripts/lint.sh
  echo "== build (release) =="
  build build RelWithDebInfo
  echo "== tests =="
  run_tests build --timeout 900
  echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer) =="
  build build-asan Debug -DFUTUREIM_SANITIZE=ON
  echo "== tests under sanitizers =="
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_tests build-asan --timeout 1800 -L 'unit|integration'
}

cmd_demo() {
  scripts/setup.sh
  echo "== build =="
  build build RelWithDebInfo
  exec scripts/demo.sh "$root/build/src/cli/futureim" "$root/.work/demo"
}

case "${1:-}" in
  demo) cmd_demo ;;
  test) cmd_test ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac

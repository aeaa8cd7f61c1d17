#!/usr/bin/env bash
# Style and static checks on project code (not third-party, not generated).
#   scripts/lint.sh          clang-format check (fails on any difference)
#   scripts/lint.sh --fix    reformat in place
#   scripts/lint.sh --tidy   also clang-tidy (needs build/compile_commands.json)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h')
case "${1:-}" in
  --fix) clang-format -i "${files[@]}" ;;
  --tidy)
    clang-format --dry-run --Werror "${files[@]}"
    mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep '^src/.*\.cpp$')
    clang-tidy -p build --quiet "${sources[@]}"
    ;;
  *) clang-format --dry-run --Werror "${files[@]}" && echo "lint: clang-format clean (${#files[@]} files)" ;;
esac

#!/usr/bin/env bash
# Forecasting on simulator data: futureim's models (the holdout test, which
# prints every series' model and MASE, both levels' MASE ratio against
# seasonal naive, interval coverage and the auto forecasts' wall time) and
# Debian's python3-statsmodels on the same series (same generator, scale,
# seed and as-of, so the same data).
#
#   bench/forecast/run.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: bench/forecast/run.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== futureim (tests/integration/ml/forecast_holdout_test.cpp)"
"$build/tests/integration/ml/ml_forecast_holdout_test" --gtest_also_run_disabled_tests | grep -E "MASE|level"

echo "== statsmodels on the same series"
"$build/src/cli/futureim" generate --scale 1 --seed 11 --as-of 2026-10-01 \
  --target "csv:$work/store" --truth "$work/truth" > /dev/null
/usr/bin/python3 "$here/statsmodels_holdout.py" "$work/store" 2026-10-01

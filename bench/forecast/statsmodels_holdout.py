#!/usr/bin/python3
"""The forecasting holdout of tests/integration/ml/forecast_holdout_test.cpp,
with Debian's python3-statsmodels instead of futureim's models: the same
series (store revenue, orders, units; revenue of each category selling on
≥ 90 % of days), the last 56 days held out, MASE against the in-sample
seasonal naive error, interval coverage, and fit time.

  bench/forecast/statsmodels_holdout.py STORE_CSV_DIR AS_OF(YYYY-MM-DD)

statsmodels models: ETS chosen by AICc over the space futureim searches
(error A/M, trend N/A/Ad, season A/M; multiplicative only for positive
series), and SARIMA(1,1,1)(1,0,1)[7] (statsmodels has no automatic order
search). Intervals: the models' own 80 % / 95 % prediction intervals."""
import sys
import time
import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.statespace.sarimax import SARIMAX

warnings.simplefilter("ignore")
HOLDOUT = 56


def series(store, as_of):
    orders = pd.read_csv(f"{store}/orders.csv", usecols=["order_id", "order_date", "order_status"])
    items = pd.read_csv(f"{store}/order_items.csv", usecols=["order_id", "product_id", "quantity", "total_amount"])
    products = pd.read_csv(f"{store}/products.csv", usecols=["product_id", "category_id"])
    orders = orders[orders.order_status != "cancelled"]
    joined = items.merge(orders, on="order_id").merge(products, on="product_id")
    joined["day"] = pd.to_datetime(joined.order_date).dt.floor("D")
    days = pd.date_range(pd.Timestamp(as_of) - pd.Timedelta(days=730), periods=730, freq="D")
    out = {}
    for name, values in (("store revenue", joined.groupby("day").total_amount.sum()),
                         ("store orders", joined.groupby("day").order_id.nunique()),
                         ("store units", joined.groupby("day").quantity.sum())):
        out[("store", name)] = values.reindex(days, fill_value=0).astype(float).values
    for category, group in joined.groupby("category_id"):
        values = group.groupby("day").total_amount.sum().reindex(days, fill_value=0).astype(float).values
        if (values > 0).sum() >= 0.9 * 730:
            out[("category", category)] = values
    return out


def ets_auto(y):
    positive = bool((y > 0).all())
    best = None
    for error in ("add", "mul"):
        if error == "mul" and not positive:
            continue
        for trend, damped in ((None, False), ("add", False), ("add", True)):
            for seasonal in ("add", "mul"):
                if seasonal == "mul" and (not positive or error == "add"):
                    continue
                try:
                    fit = ETSModel(y, error=error, trend=trend, damped_trend=damped, seasonal=seasonal,
                                   seasonal_periods=7).fit(disp=False)
                except Exception:  # noqa: BLE001 - a model that cannot be fitted is skipped
                    continue
                if np.isfinite(fit.aicc) and (best is None or fit.aicc < best.aicc):
                    best = fit
    return best


def ets_forecast(y):
    # A dated pandas series: statsmodels 0.13's get_prediction needs an index.
    fit = ets_auto(pd.Series(y, index=pd.date_range("2000-01-01", periods=len(y), freq="D")))
    point = np.asarray(fit.forecast(HOLDOUT))
    prediction = fit.get_prediction(start=len(y), end=len(y) + HOLDOUT - 1)
    bands = {level: np.asarray(prediction.pred_int(alpha=1 - level)) for level in (0.8, 0.95)}
    point = np.asarray(point)
    return point, bands


def sarima_forecast(y):
    fit = SARIMAX(y, order=(1, 1, 1), seasonal_order=(1, 0, 1, 7)).fit(disp=False)
    forecast = fit.get_forecast(HOLDOUT)
    bands = {level: np.asarray(forecast.conf_int(alpha=1 - level)) for level in (0.8, 0.95)}
    return np.asarray(forecast.predicted_mean), bands


def main():
    store, as_of = sys.argv[1], sys.argv[2]
    data = series(store, as_of)
    for model_name, model in (("statsmodels ETS (AICc)", ets_forecast),
                              ("statsmodels SARIMA(1,1,1)(1,0,1)[7]", sarima_forecast)):
        for level_name in ("store", "category"):
            mase_model = mase_naive = 0.0
            covered = {0.8: 0, 0.95: 0}
            points = count = 0
            seconds = 0.0
            for (level, name), y in data.items():
                if level != level_name:
                    continue
                train, actual = y[:-HOLDOUT], y[-HOLDOUT:]
                scale = np.mean(np.abs(train[7:] - train[:-7]))
                started = time.perf_counter()
                point, bands = model(train)
                seconds += time.perf_counter() - started
                naive = np.array([train[len(train) - 7 + h % 7] for h in range(HOLDOUT)])
                mase_model += np.mean(np.abs(actual - point)) / scale
                mase_naive += np.mean(np.abs(actual - naive)) / scale
                for level_value, band in bands.items():
                    covered[level_value] += int(((actual >= band[:, 0]) & (actual <= band[:, 1])).sum())
                points += HOLDOUT
                count += 1
            print(f"{model_name:38s} {level_name:8s} series {count:2d}  MASE ratio vs seasonal naive "
                  f"{mase_model / mase_naive:.3f}  coverage 80% {100 * covered[0.8] / points:.1f}  "
                  f"95% {100 * covered[0.95] / points:.1f}  fit time {seconds:.1f} s")


if __name__ == "__main__":
    main()

#include "ml/prophet_style.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <string>

#include <Eigen/Dense>

namespace futureim::ml {
namespace {

constexpr int kChangepoints = 25;
constexpr double kChangepointRange = 0.8;
constexpr int kWeeklyOrder = 3;
constexpr int kYearlyOrder = 10;
constexpr double kChangepointPriorScale = 0.05;
constexpr double kSeasonalityPriorScale = 10.0;

struct Design {
  std::vector<double> changepoints;  // in scaled time
  bool yearly = false;
  std::map<std::string, int> holiday_columns;
  std::map<int64_t, std::vector<int>> holiday_days;  // day number → columns
  int columns = 0;
  int first_changepoint_column = 2;
  int first_seasonal_column = 0;
};

Eigen::MatrixXd Rows(const Design& design, int64_t first_day, int64_t count, double time_scale) {
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(count, design.columns);
  for (int64_t i = 0; i < count; ++i) {
    const double t = static_cast<double>(i) / time_scale;
    const int64_t day = first_day + i;
    x(i, 0) = 1.0;
    x(i, 1) = t;
    for (size_t j = 0; j < design.changepoints.size(); ++j) {
      x(i, design.first_changepoint_column + static_cast<int>(j)) =
          std::max(0.0, t - design.changepoints[j]);
    }
    int column = design.first_seasonal_column;
    for (int k = 1; k <= kWeeklyOrder; ++k) {
      const double angle = 2.0 * std::numbers::pi * k * static_cast<double>(day) / 7.0;
      x(i, column++) = std::sin(angle);
      x(i, column++) = std::cos(angle);
    }
    if (design.yearly) {
      for (int k = 1; k <= kYearlyOrder; ++k) {
        const double angle = 2.0 * std::numbers::pi * k * static_cast<double>(day) / 365.25;
        x(i, column++) = std::sin(angle);
        x(i, column++) = std::cos(angle);
      }
    }
    if (auto found = design.holiday_days.find(day); found != design.holiday_days.end()) {
      for (int c : found->second) x(i, c) = 1.0;
    }
  }
  return x;
}

Eigen::VectorXd Solve(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                      const Eigen::VectorXd& penalty) {
  Eigen::MatrixXd normal = x.transpose() * x;
  normal.diagonal() += penalty;
  return normal.ldlt().solve(x.transpose() * y);
}

}  // namespace

ModelForecast ForecastProphetStyle(const DailySeries& series, int horizon,
                                   const std::vector<Holiday>& holidays) {
  const int64_t n = static_cast<int64_t>(series.values.size());
  const int64_t first_day = core::DaysFromCivil(series.start);
  const double time_scale = static_cast<double>(std::max<int64_t>(n - 1, 1));
  Design design;
  const int changepoints = static_cast<int>(std::min<int64_t>(kChangepoints, n / 7));
  for (int j = 1; j <= changepoints; ++j) {
    design.changepoints.push_back(kChangepointRange * j / (changepoints + 1));
  }
  design.yearly = n >= 365;
  design.first_seasonal_column = design.first_changepoint_column + changepoints;
  design.columns =
      design.first_seasonal_column + 2 * kWeeklyOrder + (design.yearly ? 2 * kYearlyOrder : 0);
  // A holiday gets a column only when it occurs in the history (otherwise
  // its effect cannot be learnt).
  for (const Holiday& holiday : holidays) {
    const int64_t day = core::DaysFromCivil(holiday.date);
    if (day < first_day || day >= first_day + n) continue;
    if (!design.holiday_columns.contains(holiday.name))
      design.holiday_columns[holiday.name] = design.columns++;
  }
  for (const Holiday& holiday : holidays) {
    auto column = design.holiday_columns.find(holiday.name);
    if (column == design.holiday_columns.end()) continue;
    auto& columns = design.holiday_days[core::DaysFromCivil(holiday.date)];
    if (std::find(columns.begin(), columns.end(), column->second) == columns.end())
      columns.push_back(column->second);
  }

  double y_scale = 0.0;
  for (double v : series.values) y_scale = std::max(y_scale, std::abs(v));
  if (y_scale == 0.0) y_scale = 1.0;
  Eigen::VectorXd y(n);
  for (int64_t i = 0; i < n; ++i) y(i) = series.values[static_cast<size_t>(i)] / y_scale;
  const Eigen::MatrixXd x = Rows(design, first_day, n, time_scale);

  auto penalties = [&](double variance) {
    Eigen::VectorXd penalty = Eigen::VectorXd::Zero(design.columns);
    for (int j = 0; j < changepoints; ++j) {
      penalty(design.first_changepoint_column + j) =
          variance / (kChangepointPriorScale * kChangepointPriorScale);
    }
    for (int c = design.first_seasonal_column; c < design.columns; ++c) {
      penalty(c) = variance / (kSeasonalityPriorScale * kSeasonalityPriorScale);
    }
    penalty(0) = 1e-9;  // keeps the system positive definite on a degenerate design
    penalty(1) = 1e-9;
    return penalty;
  };
  Eigen::VectorXd beta = Solve(x, y, penalties(0.01));
  const double variance = std::max((y - x * beta).squaredNorm() / static_cast<double>(n), 1e-12);
  beta = Solve(x, y, penalties(variance));

  const Eigen::VectorXd fitted = x * beta;
  const Eigen::MatrixXd future =
      Rows(design, first_day, n + horizon, time_scale).bottomRows(horizon);
  const Eigen::VectorXd forecast = future * beta;
  ModelForecast out;
  out.description = "ProphetStyle(changepoints=" + std::to_string(changepoints) + ", weekly" +
                    (design.yearly ? ", yearly" : "") +
                    ", holidays=" + std::to_string(design.holiday_columns.size()) + ")";
  out.point.resize(static_cast<size_t>(horizon));
  for (int h = 0; h < horizon; ++h) out.point[static_cast<size_t>(h)] = forecast(h) * y_scale;
  out.residuals.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    out.residuals[static_cast<size_t>(i)] = (y(i) - fitted(i)) * y_scale;
  return out;
}

}  // namespace futureim::ml

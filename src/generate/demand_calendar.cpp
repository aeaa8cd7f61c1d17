#include "generate/demand_calendar.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "generate/civil_time.h"

namespace futureim::generate {

DemandCalendar::DemandCalendar(const GeographyCatalogue& geography, int64_t first_day,
                               int64_t end_day, CalendarParameters parameters)
    : geography_(geography), first_day_(first_day), end_day_(end_day), parameters_(parameters) {
  double sum = 0;
  for (double w : parameters_.weekly) sum += w;
  for (double& w : parameters_.weekly) w *= 7.0 / sum;

  const int first_year = CivilFromDays(first_day).year;
  const int last_year = CivilFromDays(end_day).year;
  for (int year = first_year; year <= last_year; ++year) {
    // Black Friday: the day after the fourth Thursday of November.
    const int64_t black_friday = NthWeekdayOfMonth(year, 11, 3, 4) + 1;
    peaks_.push_back({"Black Friday", black_friday, 1, parameters_.black_friday_lift, ""});
    peaks_.push_back({"Cyber Week", black_friday + 1, 2, parameters_.cyber_week_lift, ""});
    peaks_.push_back({"Cyber Monday", black_friday + 3, 1, parameters_.cyber_monday_lift, ""});
    peaks_.push_back({"Christmas run-up", DaysFromCivil({year, 12, 10}), 13,
                      parameters_.christmas_run_up_lift, ""});
    peaks_.push_back(
        {"Year-end sales", DaysFromCivil({year, 12, 26}), 6, parameters_.year_end_lift, ""});
    for (const auto& country : geography.countries()) {
      for (const auto& local : country.shopping_days) {
        peaks_.push_back({std::string(local.name), DaysFromCivil({year, local.month, local.day}),
                          local.days, local.lift, std::string(country.code)});
      }
    }
  }
  // Keep only peaks that touch the range, in date order.
  std::erase_if(peaks_, [&](const HolidayPeak& peak) {
    return peak.first_day + peak.days <= first_day || peak.first_day >= end_day;
  });
  std::stable_sort(peaks_.begin(), peaks_.end(),
                   [](const auto& a, const auto& b) { return a.first_day < b.first_day; });

  const size_t countries = geography.countries().size();
  peak_factor_.assign(static_cast<size_t>(end_day - first_day) * countries, 1.0);
  for (const auto& peak : peaks_) {
    for (int64_t day = peak.first_day; day < peak.first_day + peak.days; ++day) {
      if (day < first_day || day >= end_day) continue;
      for (size_t c = 0; c < countries; ++c) {
        if (!peak.country.empty() && geography.country(c).code != peak.country) continue;
        peak_factor_[static_cast<size_t>(day - first_day) * countries + c] *= peak.lift;
      }
    }
  }
}

double DemandCalendar::WeeklyFactor(int64_t day) const {
  return parameters_.weekly[static_cast<size_t>(WeekdayFromDays(day))];
}

double DemandCalendar::SeasonFactor(int64_t day) const {
  const double phase =
      2.0 * std::numbers::pi * (DayOfYear(day) - parameters_.season_peak_day_of_year) / 365.25;
  return 1.0 + parameters_.season_amplitude * std::cos(phase);
}

double DemandCalendar::TrendFactor(int64_t day) const {
  return std::exp(parameters_.annual_growth * static_cast<double>(day - first_day_) / 365.25);
}

double DemandCalendar::PeakFactor(int64_t day, size_t country) const {
  if (day < first_day_ || day >= end_day_) return 1.0;
  return peak_factor_[static_cast<size_t>(day - first_day_) * geography_.countries().size() +
                      country];
}

double DemandCalendar::Intensity(int64_t day, size_t country) const {
  return WeeklyFactor(day) * SeasonFactor(day) * PeakFactor(day, country) * TrendFactor(day);
}

nlohmann::json DemandCalendar::ToJson() const {
  nlohmann::json peaks = nlohmann::json::array();
  for (const auto& peak : peaks_) {
    peaks.push_back(
        {{"name", peak.name},
         {"first_date", FormatIsoDate(peak.first_day)},
         {"days", peak.days},
         {"lift", peak.lift},
         {"country", peak.country.empty() ? nlohmann::json() : nlohmann::json(peak.country)}});
  }
  return {{"first_date", FormatIsoDate(first_day_)},
          {"end_date_exclusive", FormatIsoDate(end_day_)},
          {"weekly_factors_monday_first", parameters_.weekly},
          {"season_amplitude", parameters_.season_amplitude},
          {"season_peak_day_of_year", parameters_.season_peak_day_of_year},
          {"annual_growth", parameters_.annual_growth},
          {"peaks", peaks}};
}

}  // namespace futureim::generate

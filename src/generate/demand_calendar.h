#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/geography.h"

namespace futureim::generate {

// The calendar effects that shape when customers buy. Intensity is a
// multiplier on the store's base order rate; its factors are independent so
// that each can be recovered from the data and compared with the truth.
struct CalendarParameters {
  // Monday..Sunday; normalised to mean 1 by DemandCalendar.
  std::array<double, 7> weekly = {0.92, 0.88, 0.90, 0.95, 1.05, 1.22, 1.08};
  double season_amplitude = 0.18;     // yearly cosine, +/- this fraction
  int season_peak_day_of_year = 340;  // early December
  double annual_growth = 0.15;        // store-wide order growth per year (exponential)
  double black_friday_lift = 3.2;
  double cyber_monday_lift = 2.4;
  double cyber_week_lift = 1.4;        // the days between Black Friday and Cyber Monday
  double christmas_run_up_lift = 1.5;  // Dec 10..22
  double year_end_lift = 1.35;         // Dec 26..31
};

// One dated peak inside the simulated range, for the ground truth.
struct HolidayPeak {
  std::string name;
  int64_t first_day;  // days since the epoch
  int days;
  double lift;
  std::string country;  // empty: every country
};

class DemandCalendar {
 public:
  // The calendar over [first_day, end_day) (days since 1970-01-01, UTC).
  DemandCalendar(const GeographyCatalogue& geography, int64_t first_day, int64_t end_day,
                 CalendarParameters parameters = {});

  // The multiplier on the base order rate of customers in `country` on `day`:
  // weekly × season × store-wide peaks × the country's own days × trend.
  double Intensity(int64_t day, size_t country) const;
  double WeeklyFactor(int64_t day) const;
  double SeasonFactor(int64_t day) const;
  double TrendFactor(int64_t day) const;
  // The product of every peak (store-wide and the country's) covering `day`.
  double PeakFactor(int64_t day, size_t country) const;

  const std::vector<HolidayPeak>& peaks() const { return peaks_; }
  const CalendarParameters& parameters() const { return parameters_; }
  int64_t first_day() const { return first_day_; }
  int64_t end_day() const { return end_day_; }
  nlohmann::json ToJson() const;

 private:
  const GeographyCatalogue& geography_;
  int64_t first_day_;
  int64_t end_day_;
  CalendarParameters parameters_;
  std::vector<HolidayPeak> peaks_;
  // (day - first_day) * countries + country -> PeakFactor, precomputed.
  std::vector<double> peak_factor_;
};

}  // namespace futureim::generate

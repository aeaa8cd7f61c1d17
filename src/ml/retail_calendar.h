#pragma once

#include <vector>

#include "ml/forecasting.h"

namespace futureim::ml {

// The public retail calendar's big days in [first_year, last_year]: Black
// Friday (the day after the fourth Thursday of November), the Cyber weekend,
// Cyber Monday, the Christmas run-up (Dec 10..22), Christmas Eve and Day and
// the days between Christmas and New Year. Common knowledge of any retailer,
// used as the Prophet-style model's holiday regressors.
std::vector<Holiday> RetailHolidays(int first_year, int last_year);

}  // namespace futureim::ml

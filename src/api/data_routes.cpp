#include "api/area_routes.h"

namespace futureim::api {

void AddDataRoutes(RouteTable& table, const PrecomputedJson& data_health) {
  table.Add(Route{
      .method = "GET",
      .pattern = "/data/health",
      .summary = "Health of the curated data for the home page: per table its current run, rows, "
                 "quarantined rows and quality score (recomputed after every pipeline run)",
      .tag = "data",
      .required = auth::Role::kViewer,
      // A precomputed body: no blocking work, so it is answered on the I/O thread.
      .execution = Execution::kInline,
      .handler =
          [&data_health](RequestContext&) { return RouteResponse{.raw_json = *data_health.Get()}; },
  });
}

}  // namespace futureim::api

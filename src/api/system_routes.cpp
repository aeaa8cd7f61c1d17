#include <memory>
#include <mutex>

#include "api/area_routes.h"

namespace futureim::api {

void AddSystemRoutes(RouteTable& table, std::string version) {
  table.Add(Route{
      .method = "GET",
      .pattern = "/health",
      .summary = "Liveness: the server answers",
      .tag = "system",
      .execution = Execution::kInline,
      .handler =
          [version](RequestContext&) {
            return RouteResponse{.body = {{"status", "ok"}, {"version", version}}};
          },
  });
  // Built on first request, when every area has added its routes; the table
  // never changes while serving.
  struct Document {
    std::once_flag once;
    std::string text;
  };
  auto document = std::make_shared<Document>();
  table.Add(Route{
      .method = "GET",
      .pattern = "/openapi.json",
      .summary = "OpenAPI 3 description of every route this server serves",
      .tag = "system",
      .execution = Execution::kInline,
      .handler =
          [&table, version, document](RequestContext&) {
            std::call_once(document->once,
                           [&] { document->text = OpenApiDocument(table, version).dump(); });
            return RouteResponse{.raw_json = document->text};
          },
  });
}

}  // namespace futureim::api

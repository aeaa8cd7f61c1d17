// The dashboard's files from the real `futureim serve` (server.web_root):
// caching, the SPA fallback for page navigations, and API routes untouched.

#include <fstream>

#include <gtest/gtest.h>

#include "api_server_process.h"
#include "support/temp_dir.h"

namespace futureim {
namespace {

using testing::ApiServerProcess;

class DashboardServingTest : public ::testing::Test {
 protected:
  static std::filesystem::path MakeWebRoot(const std::filesystem::path& root) {
    std::filesystem::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<!doctype html><script src=/assets/app-1a2b3c.js>";
    std::ofstream(root / "assets" / "app-1a2b3c.js") << "console.log('app')";
    return root;
  }
  testing::TempDir web_;
  ApiServerProcess server_{{{"FUTUREIM_SERVER_WEB_ROOT", MakeWebRoot(web_.path()).string()}}};
};

TEST_F(DashboardServingTest, ServesTheAppBesideTheApi) {
  EXPECT_NE(server_.Log().find("dashboard at http://127.0.0.1:"), std::string::npos)
      << server_.Log();

  const auto index = server_.Call("GET", "/", nullptr, {}, {{"Accept", "text/html"}});
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><script src=/assets/app-1a2b3c.js>");
  EXPECT_EQ(index.headers.at("cache-control"), "no-cache");
  EXPECT_NE(index.headers.at("content-security-policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_FALSE(index.headers.at("x-request-id").empty());

  const auto script = server_.Call("GET", "/assets/app-1a2b3c.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.headers.at("cache-control"), "public, max-age=31536000, immutable");
  const auto again = server_.Call("GET", "/assets/app-1a2b3c.js", nullptr, {},
                                  {{"If-None-Match", script.headers.at("etag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");

  // A page navigation to a client route (a reload of /reset-password?token=...) gets the app.
  const auto page = server_.Call("GET", "/reset-password?token=abc", nullptr, {},
                                 {{"Accept", "text/html,application/xhtml+xml"}});
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, index.body);
}

TEST_F(DashboardServingTest, ApiRoutesAndErrorsAreUnchanged) {
  const auto health = server_.Call("GET", "/health", nullptr, {}, {{"Accept", "text/html"}});
  EXPECT_EQ(health.status, 200);
  EXPECT_NE(health.body.find("\"status\":\"ok\""), std::string::npos);
  // An API path stays the API's, even for a browser.
  EXPECT_EQ(server_.Call("GET", "/admin/users", nullptr, {}, {{"Accept", "text/html"}}).status,
            401);
  EXPECT_EQ(server_.Call("GET", "/auth/login", nullptr, {}, {{"Accept", "text/html"}}).status, 405);
  // API clients keep JSON 404s; missing assets are 404s, never the app.
  const auto missing = server_.Call("GET", "/no/such/route");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("not_found"), std::string::npos);
  EXPECT_EQ(
      server_.Call("GET", "/assets/gone-123.js", nullptr, {}, {{"Accept", "text/html"}}).status,
      404);
  EXPECT_EQ(server_.Call("POST", "/", nlohmann::json::object()).status, 404);
  // Traversal never reaches the file system.
  for (const char* target : {"/assets/../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd",
                             "/assets/..%5c..%5cetc%5cpasswd"}) {
    EXPECT_EQ(server_.Call("GET", target, nullptr, {}, {{"Accept", "text/html"}}).status, 400)
        << target;
  }
}

TEST(DashboardMissingTest, ServeRunsTheApiAndSaysTheDashboardIsNotBuilt) {
  ApiServerProcess server(
      std::map<std::string, std::string>{{"FUTUREIM_SERVER_WEB_ROOT", "/nonexistent/dist"}});
  EXPECT_NE(server.Log().find("dashboard not built (/nonexistent/dist"), std::string::npos)
      << server.Log();
  EXPECT_EQ(server.Call("GET", "/", nullptr, {}, {{"Accept", "text/html"}}).status, 404);
  EXPECT_EQ(server.Call("GET", "/health").status, 200);
}

}  // namespace
}  // namespace futureim

#include "api/static_files.h"

#include <fstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/temp_dir.h"

namespace futureim::api {
namespace {

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string HeaderOf(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

HttpRequest Get(std::string accept = "*/*") {
  HttpRequest request;
  request.method = "GET";
  request.headers = {{"accept", std::move(accept)}};
  return request;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write(root() / "index.html", "<html>app</html>");
    Write(root() / "assets" / "index-Cd7ZYF6S.js", "console.log(1)");
    Write(root() / "assets" / "index-C2y3ltvg.css", "body{}");
    Write(root() / "favicon.svg", "<svg/>");
    Write(root() / ".env", "SECRET=1");
    Write(outside_.path() / "secret.txt", "outside");
    std::filesystem::create_symlink(outside_.path() / "secret.txt", root() / "linked.txt");
  }
  std::filesystem::path root() const { return dir_.path() / "dist"; }

  testing::TempDir dir_;
  testing::TempDir outside_;
};

TEST_F(StaticFilesTest, ServesIndexWithoutCacheAndHashedAssetsForAYear) {
  const StaticFiles files(root());
  EXPECT_EQ(files.file_count(), 4u);  // not .env, not the symlink

  const auto index = files.Serve(Get("text/html"), "/", false);
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200u);
  EXPECT_EQ(index->body, "<html>app</html>");
  EXPECT_EQ(HeaderOf(*index, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(*index, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(*index, "Content-Security-Policy"), StaticFiles::kContentSecurityPolicy);
  EXPECT_EQ(HeaderOf(*index, "X-Frame-Options"), "DENY");
  EXPECT_EQ(HeaderOf(*index, "Strict-Transport-Security"), "");
  EXPECT_NE(HeaderOf(*files.Serve(Get(), "/", true), "Strict-Transport-Security"), "");

  const auto script = files.Serve(Get(), "/assets/index-Cd7ZYF6S.js", false);
  ASSERT_TRUE(script);
  EXPECT_EQ(script->body, "console.log(1)");
  EXPECT_EQ(HeaderOf(*script, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(*script, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(*files.Serve(Get(), "/assets/index-C2y3ltvg.css", false), "Content-Type"),
            "text/css; charset=utf-8");
  EXPECT_EQ(HeaderOf(*files.Serve(Get(), "/favicon.svg", false), "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, AnswersNotModifiedForAMatchingEtag) {
  const StaticFiles files(root());
  const auto first = files.Serve(Get(), "/index.html", false);
  const std::string etag = HeaderOf(*first, "ETag");
  ASSERT_EQ(etag.size(), 26u);
  HttpRequest again = Get();
  again.headers.emplace_back("if-none-match", etag);
  const auto second = files.Serve(again, "/index.html", false);
  EXPECT_EQ(second->status, 304u);
  EXPECT_EQ(second->body, "");
  again.headers.back().second = "\"other\"";
  EXPECT_EQ(files.Serve(again, "/index.html", false)->status, 200u);
}

TEST_F(StaticFilesTest, PageNavigationsToClientRoutesGetTheApp) {
  const StaticFiles files(root());
  const auto route = files.Serve(Get("text/html,application/xhtml+xml"), "/admin/audit", false);
  ASSERT_TRUE(route);
  EXPECT_EQ(route->body, "<html>app</html>");
  EXPECT_EQ(HeaderOf(*route, "Cache-Control"), "no-cache");
  // API clients (no text/html), missing files and other methods are not the app's.
  EXPECT_FALSE(files.Serve(Get("application/json"), "/admin/audit", false));
  EXPECT_FALSE(files.Serve(Get("text/html"), "/assets/missing-123.js", false));
  HttpRequest post = Get("text/html");
  post.method = "POST";
  EXPECT_FALSE(files.Serve(post, "/", false));
  post.method = "HEAD";
  EXPECT_FALSE(files.Serve(post, "/index.html", false));
}

TEST_F(StaticFilesTest, NeverServesWhatIsNotInsideTheRoot) {
  const StaticFiles files(root());
  for (const char* path : {"/.env", "/linked.txt", "/../secret.txt", "/assets/../../secret.txt",
                           "//etc/passwd", "/etc/passwd", "/index.html/"}) {
    const auto answer = files.Serve(Get("application/json"), path, false);
    EXPECT_FALSE(answer) << path;
  }
  // Even as a page navigation, a path that names a file gets no file content.
  const auto secret = files.Serve(Get("text/html"), "/linked.txt", false);
  EXPECT_FALSE(secret);
}

TEST_F(StaticFilesTest, RefusesARootWithoutTheApp) {
  EXPECT_THROW(StaticFiles(dir_.path() / "missing"), core::Error);
  std::filesystem::remove(root() / "index.html");
  EXPECT_THROW(StaticFiles{root()}, core::Error);
}

}  // namespace
}  // namespace futureim::api

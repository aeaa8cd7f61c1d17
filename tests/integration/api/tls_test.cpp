// `futureim serve` over TLS, with a self-signed certificate made in the test
// by the openssl CLI: HTTPS answers (checked with curl, a real TLS client,
// pinned to that certificate) and carries HSTS; a plaintext HTTP request on
// the TLS port is refused cleanly (no HTTP answer, the server keeps serving).

#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api_server_process.h"

namespace futureim::testing {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certificate_dir_ = std::make_unique<TempDir>("futureim-tls");
    const auto dir = certificate_dir_->path();
    const auto made =
        RunProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    (dir / "key.pem").string(), "-out", (dir / "cert.pem").string(), "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    server_ = std::make_unique<ApiServerProcess>(std::map<std::string, std::string>{
        {"FUTUREIM_SERVER_TLS_CERT", (dir / "cert.pem").string()},
        {"FUTUREIM_SERVER_TLS_KEY_PATH", (dir / "key.pem").string()},
    });
  }
  static void TearDownTestSuite() {
    server_.reset();
    certificate_dir_.reset();
  }

  // curl over HTTPS, trusting only the test's certificate: the status line
  // and headers (-D -) then the body.
  static ProcessResult Curl(const std::string& path, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"curl",
                                     "--silent",
                                     "--show-error",
                                     "--max-time",
                                     "10",
                                     "--cacert",
                                     (certificate_dir_->path() / "cert.pem").string(),
                                     "--dump-header",
                                     "-"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("https://127.0.0.1:" + std::to_string(server_->port()) + path);
    return RunProcess(argv);
  }

  static inline std::unique_ptr<TempDir> certificate_dir_;
  static inline std::unique_ptr<ApiServerProcess> server_;
};

TEST_F(TlsTest, ServesHttpsWithHsts) {
  EXPECT_NE(server_->Log().find("API at https://127.0.0.1:"), std::string::npos) << server_->Log();
  const auto health = Curl("/health");
  ASSERT_EQ(health.exit_code, 0) << health.err;
  EXPECT_EQ(health.out.rfind("HTTP/1.1 200", 0), 0u) << health.out;
  std::string lower = health.out;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_NE(lower.find("strict-transport-security: max-age=31536000; includesubdomains"),
            std::string::npos)
      << health.out;
  EXPECT_NE(health.out.find("\"status\":\"ok\""), std::string::npos) << health.out;

  // An authenticated round trip over TLS: login, then a viewer route.
  const auto login = Curl(
      "/auth/login", {"--header", "Content-Type: application/json", "--data",
                      nlohmann::json{{"email", kAdminEmail}, {"password", kAdminPassword}}.dump()});
  ASSERT_EQ(login.exit_code, 0) << login.err;
  ASSERT_EQ(login.out.rfind("HTTP/1.1 200", 0), 0u) << login.out;
  const auto body = nlohmann::json::parse(login.out.substr(login.out.find("\r\n\r\n") + 4));
  const auto me = Curl(
      "/auth/me", {"--header", "Authorization: Bearer " + body["access_token"].get<std::string>()});
  ASSERT_EQ(me.exit_code, 0) << me.err;
  EXPECT_EQ(me.out.rfind("HTTP/1.1 200", 0), 0u) << me.out;
  EXPECT_NE(me.out.find(kAdminEmail), std::string::npos) << me.out;
}

TEST_F(TlsTest, AnUntrustedCertificateIsRejectedByTheClient) {
  // Without --cacert curl must refuse the self-signed certificate: the
  // server really speaks TLS with the configured certificate.
  const auto reply =
      RunProcess({"curl", "--silent", "--max-time", "10",
                  "https://127.0.0.1:" + std::to_string(server_->port()) + "/health"});
  EXPECT_EQ(reply.exit_code, 60) << reply.out << reply.err;  // CURLE_PEER_FAILED_VERIFICATION
}

TEST_F(TlsTest, PlaintextOnTheTlsPortIsRefusedCleanly) {
  for (int i = 0; i < 20; ++i) {
    HttpConnection connection(server_->port());
    ASSERT_TRUE(connection.Send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    // No HTTP answer: the TLS handshake fails and the connection is closed
    // (promptly, not left to a timeout).
    const auto reply = connection.Read(std::chrono::seconds(5));
    EXPECT_EQ(reply.status, 0) << reply.body;
    EXPECT_TRUE(connection.ClosedByPeer(std::chrono::seconds(5)));
  }
  // The server is unharmed and still serves HTTPS.
  EXPECT_TRUE(server_->Running());
  const auto health = Curl("/health");
  ASSERT_EQ(health.exit_code, 0) << health.err;
  EXPECT_EQ(health.out.rfind("HTTP/1.1 200", 0), 0u) << health.out;
}

}  // namespace
}  // namespace futureim::testing

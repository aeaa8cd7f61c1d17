// The operations routes over real HTTP: a private MariaDB filled by
// `futureim generate`, replicated and curated by the real binary, then the
// real `futureim serve` with its alarm engine delivering to a real webhook
// receiver on 127.0.0.1.

#include <algorithm>
#include <set>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include "api_server_process.h"
#include "support/http_receiver.h"
#include "support/mariadb_suite.h"

namespace futureim {
namespace {

using testing::ApiServerProcess;
using testing::HttpReply;
using testing::JsonOf;
using json = nlohmann::json;

class OpsRoutesTest : public testing::PrivateMariadbSuite {
 protected:
  static void SetUpTestSuite() {
    PrivateMariadbSuite::SetUpTestSuite();
    if (!server_) return;
    webhook_ = std::make_unique<testing::HttpReceiver>(std::vector<int>{503, 200});
    auto settings = Server().FutureimEnvironment("");
    settings.erase("FUTUREIM_WORKDIR");
    settings["FUTUREIM_SERVER_RATE_LIMIT_IP_PER_MINUTE"] = "1000000";
    settings["FUTUREIM_AUTH_LOGIN_IP_PER_MINUTE"] = "100000";
    settings["FUTUREIM_SERVER_RATE_LIMIT_USER_PER_MINUTE"] = "1000000";
    settings["FUTUREIM_ALARMS_INTERVAL_SECONDS"] = "1";
    settings["FUTUREIM_ALARMS_WEBHOOK_URL"] = webhook_->url("/alarms");
    settings["FUTUREIM_ALARMS_WEBHOOK_BACKOFF_MS"] = "50";
    try {
      api_ = std::make_unique<ApiServerProcess>(settings, std::vector<std::string>{"--api"},
                                                [](const auto& env) { FillLake(env); });
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    api_.reset();
    webhook_.reset();
    PrivateMariadbSuite::TearDownTestSuite();
  }
  void SetUp() override {
    PrivateMariadbSuite::SetUp();
    if (!api_) GTEST_FAIL() << "set-up failed: " << setup_error_;
  }

  // generate → replicate → pipeline run → crawl, with the real binary.
  static void FillLake(const std::map<std::string, std::string>& env) {
    auto root = source::MysqlConnection::Connect(Server().Root());
    root.Execute("DROP DATABASE IF EXISTS ecommerce");
    root.Execute("CREATE DATABASE ecommerce");
    const auto store = Server().StoreUser();
    auto generate_env = env;
    generate_env["FUTUREIM_TARGET_PASSWORD"] = store.password;
    const std::vector<std::vector<std::string>> steps = {
        {"generate", "--scale", "0.05", "--seed", "5", "--truth",
         env.at("FUTUREIM_WORKDIR") + "/truth", "--target",
         "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/ecommerce"},
        {"replicate", "--until-caught-up"},
        {"pipeline", "run"},
        {"crawl"}};
    for (const auto& step : steps) {
      std::vector<std::string> args = {testing::FutureimBinary()};
      args.insert(args.end(), step.begin(), step.end());
      const auto result = testing::RunProcess(args, generate_env);
      if (result.exit_code != 0) {
        throw std::runtime_error("futureim " + step[0] + " failed: " + result.err);
      }
    }
  }

  static HttpReply Call(const std::string& method, const std::string& target,
                        const std::string& token = {}) {
    return api_->Call(method, target, nullptr, token);
  }

  static std::string Login(const std::string& email, const std::string& password) {
    auto reply = api_->Call("POST", "/auth/login", {{"email", email}, {"password", password}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    return JsonOf(reply)["access_token"];
  }
  static std::string AdminToken() { return Login(testing::kAdminEmail, testing::kAdminPassword); }
  // A verified user with `roles`, signed in.
  static std::string UserToken(const std::string& email, const std::vector<std::string>& roles) {
    const std::string password = testing::kUserPassword;
    auto reply = api_->Call("POST", "/auth/register",
                            {{"email", email}, {"password", password}, {"name", "Ops User"}});
    EXPECT_EQ(reply.status, 202) << reply.body;
    reply = api_->Call("POST", "/auth/verify", {{"token", api_->LastMailedToken("/verify")}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (roles != std::vector<std::string>{"viewer"}) {
      const auto me =
          JsonOf(api_->Call("POST", "/auth/login", {{"email", email}, {"password", password}}));
      reply = api_->Call("PATCH", "/admin/users/" + me["user"]["id"].get<std::string>(),
                         {{"roles", roles}}, AdminToken());
      EXPECT_EQ(reply.status, 200) << reply.body;
    }
    return Login(email, password);
  }
  static const std::string& Viewer() {
    static const std::string token = UserToken("viewer@example.com", {"viewer"});
    return token;
  }
  static const std::string& Analyst() {
    static const std::string token = UserToken("analyst@example.com", {"analyst"});
    return token;
  }

  static void ExpectError(const HttpReply& reply, int status, const std::string& code,
                          const std::string& field = {}) {
    EXPECT_EQ(reply.status, status) << reply.body;
    const auto body = JsonOf(reply);
    EXPECT_EQ(body["error"]["code"], code) << reply.body;
    if (!field.empty()) {
      EXPECT_EQ(body["error"].value("field", ""), field) << reply.body;
    }
  }
  // 401 without a token, 403 for a role below `required`.
  static void ExpectGuarded(const std::string& method, const std::string& target,
                            const std::string& too_low_token) {
    ExpectError(Call(method, target), 401, "unauthorized");
    ExpectError(Call(method, target, "not-a-token"), 401, "unauthorized");
    ExpectError(Call(method, target, too_low_token), 403, "forbidden");
  }

  static json AuditOf(const std::string& action) {
    return JsonOf(Call("GET", "/admin/audit-log?action=" + action, AdminToken()))["entries"];
  }

  // The checks, run by the two tests below (each test is a process that
  // builds its own lake, so they are few).
  static void ReadyChecksSourceLakeAndMetadata();
  static void ReadyNamesTheFailedCheckWhenTheSourceIsDown();
  static void MetricsArePrometheusTextForAdminsOnly();
  static void ReplicationStatusPerTable();
  static void CatalogListsTablesAndShowsOne();
  static void PipelineRunsAndTheirAlarm();
  static void AlarmsListEveryRule();

  static inline std::unique_ptr<testing::HttpReceiver> webhook_;
  static inline std::unique_ptr<ApiServerProcess> api_;
  static inline std::string setup_error_;
};

void OpsRoutesTest::ReadyChecksSourceLakeAndMetadata() {
  auto reply = Call("GET", "/ready");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto body = JsonOf(reply);
  EXPECT_EQ(body["status"], "ready");
  for (const char* check : {"source", "lake", "metadata"}) {
    EXPECT_EQ(body["checks"][check]["ok"], true) << check;
  }
  // No probe file is left behind in the lake.
  for (const auto& entry :
       std::filesystem::directory_iterator(api_->workdir() / "lake" / "_futureim")) {
    EXPECT_EQ(entry.path().filename().string().rfind(".ready-", 0), std::string::npos);
  }
  ExpectError(Call("GET", "/ready?verbose=1"), 400, "invalid_request", "verbose");
}

void OpsRoutesTest::ReadyNamesTheFailedCheckWhenTheSourceIsDown() {
  Server().Stop();
  const auto reply = Call("GET", "/ready");
  Server().Start();
  ASSERT_EQ(reply.status, 503) << reply.body;
  const auto body = JsonOf(reply);
  EXPECT_EQ(body["status"], "not_ready");
  EXPECT_EQ(body["checks"]["source"]["ok"], false);
  EXPECT_TRUE(body["checks"]["source"]["error"].is_string());
  EXPECT_EQ(body["checks"]["lake"]["ok"], true);
  EXPECT_EQ(body["checks"]["metadata"]["ok"], true);
  // The answer never carries the replication user's password.
  EXPECT_EQ(reply.body.find(api_->env().at("FUTUREIM_SOURCE_PASSWORD")), std::string::npos);
  EXPECT_EQ(Call("GET", "/ready").status, 200);
}

void OpsRoutesTest::MetricsArePrometheusTextForAdminsOnly() {
  const std::string admin = AdminToken();
  ASSERT_EQ(Call("GET", "/health").status, 200);
  ExpectError(Call("GET", "/no/such/route"), 404, "not_found");
  auto reply = Call("GET", "/metrics", admin);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = reply.body;
  for (const char* expected : {
           "# TYPE futureim_http_requests_total counter\n",
           "futureim_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} ",
           "futureim_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} ",
           "# TYPE futureim_http_request_duration_seconds histogram\n",
           "futureim_http_request_duration_seconds_bucket{method=\"GET\",route=\"/"
           "health\",le=\"+Inf\"} ",
           "futureim_replication_changes_applied_total{table=\"ecommerce.orders\"} ",
           "futureim_replication_rows_loaded_total{table=\"ecommerce.orders\"} ",
           "futureim_data_quality_score{table=\"orders\"} ",
           "futureim_curated_rows{table=\"orders\"} ",
           "futureim_lake_bytes{tier=\"raw\"} ",
           "futureim_lake_files{tier=\"curated\"} ",
           "futureim_pipeline_runs_total{status=\"failed\"} ",
           "futureim_alarm_firing{rule=\"data_quality\"} ",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  // Every sample line is NAME{labels} VALUE with a futureim_ name.
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_EQ(line.rfind("futureim_", 0), 0u) << line;
    EXPECT_NO_THROW(std::stod(line.substr(line.rfind(' ') + 1))) << line;
  }
  // The lake's raw tier holds bytes.
  const auto at = text.find("futureim_lake_bytes{tier=\"raw\"} ");
  EXPECT_GT(std::stod(text.substr(at + 32)), 1000.0);
  ExpectGuarded("GET", "/metrics", Analyst());
  ExpectError(Call("GET", "/metrics?format=json", admin), 400, "invalid_request", "format");
}

void OpsRoutesTest::ReplicationStatusPerTable() {
  auto reply = Call("GET", "/ops/replication", Analyst());
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto body = JsonOf(reply);
  EXPECT_EQ(body["configured"], true);
  std::set<std::string> tables;
  for (const auto& table : body["tables"]) {
    tables.insert(table["table"]);
    EXPECT_EQ(table["state"], "streaming") << table;
  }
  EXPECT_TRUE(tables.count("ecommerce.orders"));
  EXPECT_TRUE(tables.count("ecommerce.customers"));
  ExpectGuarded("GET", "/ops/replication", Viewer());
  ExpectError(Call("GET", "/ops/replication?table=orders", Analyst()), 400, "invalid_request",
              "table");
}

void OpsRoutesTest::CatalogListsTablesAndShowsOne() {
  auto reply = Call("GET", "/ops/catalog/tables?tier=curated", Analyst());
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto body = JsonOf(reply);
  ASSERT_FALSE(body["tables"].empty());
  for (const auto& table : body["tables"]) EXPECT_EQ(table["tier"], "curated");
  reply = Call("GET", "/ops/catalog/tables/curated.orders", Analyst());
  ASSERT_EQ(reply.status, 200) << reply.body;
  body = JsonOf(reply);
  EXPECT_EQ(body["view"], "curated.orders");
  EXPECT_FALSE(body["columns"].empty());
  EXPECT_GT(body["rows"].get<int64_t>(), 0);
  ExpectError(Call("GET", "/ops/catalog/tables/curated.nothing", Analyst()), 404, "not_found");
  ExpectError(Call("GET", "/ops/catalog/tables?tier=gold", Analyst()), 400, "invalid_request",
              "tier");
  ExpectGuarded("GET", "/ops/catalog/tables", Viewer());
  ExpectGuarded("GET", "/ops/catalog/tables/curated.orders", Viewer());
}

// One story: a run that fails (the lake's curation lock is held) fires the
// pipeline_failed alarm — shown in /ops/alarms, audited, delivered to the
// webhook after a retry — and the next successful run resolves it.
void OpsRoutesTest::PipelineRunsAndTheirAlarm() {
  const std::string admin = AdminToken();
  ExpectGuarded("POST", "/ops/pipeline/run", Analyst());
  ExpectError(api_->Call("POST", "/ops/pipeline/run", {{"now", true}}, admin), 400,
              "invalid_request");

  const auto lock_path = api_->workdir() / "lake" / "curated" / ".writer.lock";
  const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(lock, 0);
  ASSERT_EQ(::flock(lock, LOCK_EX), 0);
  auto reply = Call("POST", "/ops/pipeline/run", admin);
  ::close(lock);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto body = JsonOf(reply);
  EXPECT_EQ(body["run"]["status"], "failed");
  EXPECT_TRUE(body["run"]["duration_seconds"].is_number());

  // The alarm engine (every second) sees the failure.
  json alarm;
  for (int i = 0; i < 100; ++i) {
    const auto alarms = JsonOf(Call("GET", "/ops/alarms?state=firing", Analyst()))["alarms"];
    for (const auto& a : alarms) {
      if (a["rule"] == "pipeline_failed") alarm = a;
    }
    if (!alarm.is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(alarm.is_null()) << "pipeline_failed never fired";
  EXPECT_NE(alarm["message"].get<std::string>().find("another"), std::string::npos) << alarm;
  EXPECT_TRUE(alarm["since"].is_string());
  // Delivered to the webhook: the receiver refuses the first request (503),
  // and the notifier retries that same event. Waits for both: the firing
  // event arriving, and the refused first body arriving a second time.
  bool delivered = false;
  bool retried = false;
  for (int i = 0; i < 100 && !(delivered && retried); ++i) {
    const auto bodies = webhook_->bodies();
    for (const auto& text : bodies) {
      const auto event = json::parse(text);
      delivered = delivered || (event["alarm"]["rule"] == "pipeline_failed" &&
                                event["alarm"]["state"] == "firing");
    }
    retried = !bodies.empty() && std::count(bodies.begin(), bodies.end(), bodies.front()) >= 2;
    if (!(delivered && retried)) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(delivered);
  EXPECT_TRUE(retried) << "the refused first delivery was never retried";
  bool audited = false;
  for (const auto& entry : AuditOf("alarm_firing")) {
    audited = audited || entry["target"] == "pipeline_failed";
  }
  EXPECT_TRUE(audited);

  // A successful run: recorded, audited, and the alarm resolves.
  reply = Call("POST", "/ops/pipeline/run", admin);
  ASSERT_EQ(reply.status, 200) << reply.body;
  body = JsonOf(reply);
  EXPECT_EQ(body["run"]["status"], "succeeded") << reply.body;
  EXPECT_TRUE(body["report"].is_object());
  EXPECT_GE(AuditOf("pipeline_run").size(), 2u);
  std::string state;
  for (int i = 0; i < 100 && state != "resolved"; ++i) {
    // Held in a local: a range-for over a member of a temporary dangles.
    const auto alarms = JsonOf(Call("GET", "/ops/alarms", Analyst()))["alarms"];
    for (const auto& a : alarms) {
      if (a["rule"] == "pipeline_failed") state = a["state"];
    }
    if (state != "resolved") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(state, "resolved");

  reply = Call("GET", "/ops/pipeline/runs?limit=5", Analyst());
  ASSERT_EQ(reply.status, 200) << reply.body;
  body = JsonOf(reply);
  ASSERT_GE(body["runs"].size(), 2u);
  EXPECT_EQ(body["runs"][0]["status"], "succeeded");
  EXPECT_EQ(body["runs"][1]["status"], "failed");
  EXPECT_GE(body["counts"]["failed"].get<int>(), 1);
  bool orders = false;
  for (const auto& table : body["tables"]) {
    if (table["table"] != "orders") continue;
    orders = true;
    EXPECT_TRUE(table["quality_score"].is_number());
    EXPECT_GE(table["runs"].size(), 1u);
  }
  EXPECT_TRUE(orders);
  ExpectError(Call("GET", "/ops/pipeline/runs?limit=0", Analyst()), 400, "invalid_request",
              "limit");
  ExpectGuarded("GET", "/ops/pipeline/runs", Viewer());
}

void OpsRoutesTest::AlarmsListEveryRule() {
  const auto reply = Call("GET", "/ops/alarms", Analyst());
  ASSERT_EQ(reply.status, 200) << reply.body;
  std::set<std::string> rules;
  const auto alarms = JsonOf(reply)["alarms"];  // a copy: the temporary's member would dangle
  ASSERT_TRUE(alarms.is_array()) << reply.body;
  for (const auto& alarm : alarms) {
    rules.insert(alarm["rule"]);
    EXPECT_TRUE(alarm["state"] == "ok" || alarm["state"] == "firing" ||
                alarm["state"] == "resolved");
  }
  EXPECT_EQ(rules, (std::set<std::string>{"replication_lag", "api_error_rate", "pipeline_failed",
                                          "data_quality"}));
  ExpectError(Call("GET", "/ops/alarms?state=burning", Analyst()), 400, "invalid_request", "state");
  ExpectGuarded("GET", "/ops/alarms", Viewer());
}

// Every read-only route: happy path, validation error, 401 and role denial.
TEST_F(OpsRoutesTest, ReadOnlyRoutesOverRealHttp) {
  ReadyChecksSourceLakeAndMetadata();
  MetricsArePrometheusTextForAdminsOnly();
  ReplicationStatusPerTable();
  CatalogListsTablesAndShowsOne();
  AlarmsListEveryRule();
  ReadyNamesTheFailedCheckWhenTheSourceIsDown();
}

TEST_F(OpsRoutesTest, PipelineRunFailureFiresTheAlarmAndASuccessResolvesIt) {
  PipelineRunsAndTheirAlarm();
}

}  // namespace
}  // namespace futureim

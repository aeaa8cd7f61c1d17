// Curation on crafted raw tiers: the merge against a reference computed here,
// ON DELETE actions, quarantine and quality scores with exact numbers,
// protection, encryption and run publishing.

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "core/key_store.h"
#include "lake/parquet_encryption.h"
#include "lake/tier_layout.h"
#include "pipeline/curation_step.h"
#include "pipeline/pii_protection.h"
#include "query/query_runner.h"
#include "raw_lake_builder.h"
#include "support/temp_dir.h"

namespace futureim::pipeline {
namespace {

using testing::RawLakeBuilder;
using testing::TempDir;
namespace fs = std::filesystem;

// Two fixed AES-256 keys (base64) and a PII key, for tests only.
// A fresh random key per test process: no key literal in the repository.
const std::string kKey = core::GenerateKey();
constexpr const char* kOtherKey = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
constexpr const char* kPiiKey = "pii-test-key";

std::string Ts(int day) {
  return "TIMESTAMPTZ '2026-01-" + std::to_string(10 + day) + " 00:00:00+00'";
}

class CurationTest : public ::testing::Test {
 protected:
  CurationOptions Options(bool encrypt = false) const {
    CurationOptions options;
    options.lake_root = lake_.path();
    options.encrypt = encrypt;
    options.encryption_key = kKey;
    options.pii_key = kPiiKey;
    options.now = now_;
    now_ += std::chrono::seconds(1);  // distinct run ids
    return options;
  }

  CurationReport Curate(bool encrypt = false) { return CurationStep(Options(encrypt)).Run(); }

  // The current run's rows of curated/<table> (or its quarantine), as text,
  // sorted; read with the lake key.
  std::vector<std::vector<std::optional<std::string>>> Rows(const std::string& table,
                                                            const std::string& columns,
                                                            bool quarantine = false) {
    const auto tier = lake::RunTierLayout::Curated(lake_.path());
    const auto run = tier.CurrentRun(table);
    if (!run) return {};
    auto file = tier.RunDir(table, *run) / "part-0.parquet";
    if (quarantine) file = tier.RunDir(table, *run) / "_quarantine" / "part-0.parquet";
    if (!fs::exists(file)) return {};
    return connection_.Query("SELECT " + columns + " FROM " + Scan(file) + " ORDER BY ALL")
        .FetchAllAsText();
  }

  std::string Scan(const fs::path& file) {
    if (lake::IsEncryptedParquetFile(file)) {
      return lake::EncryptedParquetScan({file.string()}, "k");
    }
    return "read_parquet('" + file.string() + "')";
  }

  void SetUp() override {
    lake::InstallParquetCrypto(database_);
    lake::RegisterParquetKey(connection_, "k", kKey);
  }

  TempDir lake_{"futureim-curation"};
  RawLakeBuilder raw_{lake_.path()};
  mutable std::chrono::system_clock::time_point now_ =
      std::chrono::sys_days{std::chrono::year{2026} / 2 / 1};
  engine::Database database_;
  engine::Connection connection_{database_};
};

// ---------------------------------------------------------------------------
// The merge against a reference.

struct Change {
  int id;
  std::string val;
  int qty;
  char op;
  int64_t seq;
};

std::string ChangesSelect(const std::vector<Change>& changes) {
  std::string values;
  for (const auto& c : changes) {
    if (!values.empty()) values += ", ";
    if (c.op == 'T') {
      values += "(NULL, NULL, NULL, 'T', " + Ts(1) + ", " + std::to_string(c.seq) + ")";
    } else {
      values += "(" + std::to_string(c.id) + ", '" + c.val + "', " + std::to_string(c.qty) + ", '" +
                c.op + "', " + Ts(1) + ", " + std::to_string(c.seq) + ")";
    }
  }
  return "SELECT CAST(id AS INTEGER) AS id, CAST(val AS VARCHAR) AS val, CAST(qty AS INTEGER) "
         "AS qty, CAST(op AS VARCHAR) AS _op, ts AS _commit_ts, CAST(seq AS BIGINT) AS _seq "
         "FROM (VALUES " +
         values + ") t(id, val, qty, op, ts, seq)";
}

TEST_F(CurationTest, IncrementalMergeEqualsAReferenceOverRandomChanges) {
  raw_.AddTable("items", {"id"});
  std::mt19937 random(42);
  std::map<int, std::pair<std::string, int>> reference;  // the source's table
  std::set<int> deleted;
  int64_t seq = 0;
  int next_id = 1;
  bool saw_reinsert = false, saw_truncate = false;
  for (uint64_t commit = 1; commit <= 12; ++commit) {
    std::vector<Change> changes;
    const int count = commit == 1 ? 40 : 15 + static_cast<int>(random() % 30);
    for (int n = 0; n < count; ++n) {
      const int dice = static_cast<int>(random() % 100);
      const std::string val = "v" + std::to_string(seq);
      if (commit == 1) {
        const int id = next_id++;
        changes.push_back({id, val, n, 'L', ++seq});
        reference[id] = {val, n};
      } else if (n == 0 && commit % 5 == 0) {
        // A truncate (or reload) marker, then a reload of some rows.
        changes.push_back({0, "", 0, 'T', ++seq});
        saw_truncate = true;
        std::map<int, std::pair<std::string, int>> kept;
        for (const auto& [id, row] : reference) {
          if (random() % 2 == 0) {
            changes.push_back({id, row.first, row.second, 'L', ++seq});
            kept[id] = row;
          } else {
            deleted.insert(id);
          }
        }
        reference = kept;
      } else if (dice < 30 || reference.empty()) {
        int id = next_id;
        if (!deleted.empty() && random() % 3 == 0) {
          id = *deleted.begin();  // a deleted key comes back
          deleted.erase(deleted.begin());
          saw_reinsert = true;
        } else {
          ++next_id;
        }
        changes.push_back({id, val, dice, 'I', ++seq});
        reference[id] = {val, dice};
      } else {
        auto it = reference.begin();
        std::advance(it, static_cast<long>(random() % reference.size()));
        if (dice < 60) {
          changes.push_back({it->first, val, dice, 'U', ++seq});
          it->second = {val, dice};
        } else {
          changes.push_back({it->first, it->second.first, it->second.second, 'D', ++seq});
          deleted.insert(it->first);
          reference.erase(it);
        }
      }
    }
    // Three files per commit with the changes dealt at random: file order
    // says nothing about _seq order.
    std::vector<std::vector<Change>> files(3);
    for (const auto& change : changes) files[random() % 3].push_back(change);
    for (uint32_t f = 0; f < files.size(); ++f) {
      if (!files[f].empty()) raw_.WriteFile("items", commit, 2 - f, ChangesSelect(files[f]));
    }
    raw_.Commit(commit);
    if (commit % 3 == 0 || commit == 12 || commit == 1) {
      const auto report = Curate();
      ASSERT_EQ(report.tables.size(), 1u);
      EXPECT_EQ(report.tables[0].raw_commit, commit);
      std::vector<std::vector<std::optional<std::string>>> expected;
      for (const auto& [id, row] : reference) {
        expected.push_back({std::to_string(id), row.first, std::to_string(row.second)});
      }
      std::sort(expected.begin(), expected.end());
      auto actual = Rows("items", "CAST(id AS VARCHAR), val, CAST(qty AS VARCHAR)");
      std::sort(actual.begin(), actual.end());
      ASSERT_EQ(actual, expected) << "after commit " << commit;
      EXPECT_EQ(report.tables[0].rows, reference.size());
    }
  }
  EXPECT_TRUE(saw_reinsert);
  EXPECT_TRUE(saw_truncate);
  // Nothing new: the next run writes nothing.
  EXPECT_TRUE(Curate().up_to_date);
}

TEST_F(CurationTest, TruncateMarkerDropsOlderRowsAndOnlyReadsNewFiles) {
  raw_.AddTable("items", {"id"});
  raw_.WriteFile("items", 1, 0,
                 ChangesSelect({{1, "a", 1, 'L', 1}, {2, "b", 2, 'L', 2}, {3, "c", 3, 'L', 3}}));
  raw_.Commit(1);
  EXPECT_EQ(Curate().tables.at(0).rows, 3u);
  raw_.WriteFile(
      "items", 2, 0,
      ChangesSelect(
          {{2, "b2", 2, 'U', 4}, {0, "", 0, 'T', 5}, {3, "c", 3, 'L', 6}, {4, "d", 4, 'I', 7}}));
  raw_.Commit(2);
  const auto report = Curate();
  EXPECT_EQ(report.from_commit, 1u);
  EXPECT_EQ(report.tables.at(0).raw_files_read, 1u);  // commit 1's file is merged already
  EXPECT_EQ(report.tables.at(0).changes_read, 4u);
  const std::vector<std::vector<std::optional<std::string>>> expected = {{"3", "c"}, {"4", "d"}};
  EXPECT_EQ(Rows("items", "CAST(id AS VARCHAR), val"), expected);
  EXPECT_EQ(report.tables.at(0).last_seq, 7u);
}

// ---------------------------------------------------------------------------
// ON DELETE actions (InnoDB applies them without binlog rows).

std::string IdRows(const std::string& columns,
                   const std::vector<std::tuple<std::string, std::string, char, int>>& rows) {
  std::string values;
  for (const auto& [id, parent, op, seq] : rows) {
    values += std::string(values.empty() ? "" : ", ") + "('" + id + "', " +
              (parent.empty() ? "NULL" : "'" + parent + "'") + ", '" + op + "', " + Ts(1) + ", " +
              std::to_string(seq) + ")";
  }
  return "SELECT CAST(a AS VARCHAR) AS id, CAST(b AS VARCHAR) AS " + columns +
         ", CAST(op AS VARCHAR) AS _op, ts AS _commit_ts, CAST(seq AS BIGINT) AS _seq FROM "
         "(VALUES " +
         values + ") t(a, b, op, ts, seq)";
}

void DeclareFamily(RawLakeBuilder& raw) {
  raw.AddTable("parent", {"id"});
  raw.AddTable("child", {"id"},
               {RawLakeBuilder::Fk("fk_child", "parent_id", "parent", "id", "CASCADE")});
  raw.AddTable("grandchild", {"id"},
               {RawLakeBuilder::Fk("fk_grandchild", "child_id", "child", "id", "CASCADE")});
  raw.AddTable("nullable", {"id"},
               {RawLakeBuilder::Fk("fk_nullable", "parent_id", "parent", "id", "SET NULL")});
}

void WriteFamily(RawLakeBuilder& raw, bool separate_commits) {
  raw.WriteFile("parent", 1, 0, IdRows("x", {{"p1", "", 'L', 1}, {"p2", "", 'L', 2}}));
  raw.WriteFile("child", 1, 0, IdRows("parent_id", {{"c10", "p1", 'L', 3}, {"c11", "p2", 'L', 4}}));
  raw.WriteFile("grandchild", 1, 0,
                IdRows("child_id", {{"g100", "c10", 'L', 5}, {"g101", "c11", 'L', 6}}));
  raw.WriteFile("nullable", 1, 0, IdRows("parent_id", {{"n200", "p1", 'L', 7}}));
  if (separate_commits) raw.Commit(1);
  const uint64_t second = separate_commits ? 2 : 1;
  // p1 deleted at 8 (InnoDB cascades to c10, g100 and nulls n200), then
  // re-inserted with a new child c12 that must survive.
  raw.WriteFile("parent", second, 1, IdRows("x", {{"p1", "", 'D', 8}, {"p1", "", 'I', 9}}));
  raw.WriteFile("child", second, 1, IdRows("parent_id", {{"c12", "p1", 'I', 10}}));
  raw.Commit(second);
}

void ExpectFamilyAfterDelete(
    CurationTest& test, const std::function<std::vector<std::vector<std::optional<std::string>>>(
                            const std::string&, const std::string&)>& rows) {
  (void)test;
  using Table = std::vector<std::vector<std::optional<std::string>>>;
  EXPECT_EQ(rows("parent", "id"), (Table{{"p1"}, {"p2"}}));
  EXPECT_EQ(rows("child", "id, parent_id"), (Table{{"c11", "p2"}, {"c12", "p1"}}));
  EXPECT_EQ(rows("grandchild", "id"), (Table{{"g101"}}));
  EXPECT_EQ(rows("nullable", "id, parent_id"), (Table{{"n200", std::nullopt}}));
}

TEST_F(CurationTest, CascadesAndSetNullAcrossRuns) {
  DeclareFamily(raw_);
  raw_.WriteFile("parent", 1, 0, IdRows("x", {{"p1", "", 'L', 1}, {"p2", "", 'L', 2}}));
  raw_.WriteFile("child", 1, 0,
                 IdRows("parent_id", {{"c10", "p1", 'L', 3}, {"c11", "p2", 'L', 4}}));
  raw_.WriteFile("grandchild", 1, 0,
                 IdRows("child_id", {{"g100", "c10", 'L', 5}, {"g101", "c11", 'L', 6}}));
  raw_.WriteFile("nullable", 1, 0, IdRows("parent_id", {{"n200", "p1", 'L', 7}}));
  raw_.Commit(1);
  Curate();
  EXPECT_EQ(Rows("grandchild", "id").size(), 2u);
  raw_.WriteFile("parent", 2, 1, IdRows("x", {{"p1", "", 'D', 8}, {"p1", "", 'I', 9}}));
  raw_.WriteFile("child", 2, 1, IdRows("parent_id", {{"c12", "p1", 'I', 10}}));
  raw_.Commit(2);
  const auto report = Curate();
  EXPECT_EQ(report.on_delete_rows, 3u);  // c10, g100 removed; n200 nulled
  ExpectFamilyAfterDelete(
      *this, [this](const std::string& t, const std::string& c) { return Rows(t, c); });
}

TEST_F(CurationTest, CascadesWithinOneRun) {
  DeclareFamily(raw_);
  WriteFamily(raw_, false);
  Curate();
  ExpectFamilyAfterDelete(
      *this, [this](const std::string& t, const std::string& c) { return Rows(t, c); });
}

// ---------------------------------------------------------------------------
// Validation, quarantine and quality scores on crafted tables.

void WriteShop(RawLakeBuilder& raw) {
  raw.AddTable("customers", {"customer_id"});
  raw.AddTable("orders", {"order_id"},
               {RawLakeBuilder::Fk("fk_orders_customer", "customer_id", "customers", "customer_id",
                                   "CASCADE")});
  raw.WriteFile(
      "customers", 1, 0,
      "SELECT CAST(id AS VARCHAR) AS customer_id, CAST(email AS VARCHAR) AS email, "
      "CAST(created AS TIMESTAMPTZ) AS created_at, 'L' AS _op, " +
          Ts(1) +
          " AS _commit_ts, CAST(seq AS BIGINT) AS _seq FROM (VALUES "
          "('c1', 'ann@shop.example', '2026-01-05 00:00:00+00', 1), "
          "('c2', 'bad-email', '2026-01-05 00:00:00+00', 2), "
          "('c3', 'cy@shop.example', '2027-06-01 00:00:00+00', 3), "
          "('c4', 'ann@shop.example', '2026-01-05 00:00:00+00', 4)) t(id, email, created, seq)");
  raw.WriteFile(
      "orders", 1, 0,
      "SELECT CAST(id AS VARCHAR) AS order_id, CAST(customer AS VARCHAR) AS customer_id, "
      "CAST(total AS DECIMAL(12,2)) AS total_amount, CAST(day AS TIMESTAMP) AS order_date, "
      "CAST(note AS VARCHAR) AS note, 'L' AS _op, " +
          Ts(1) +
          " AS _commit_ts, CAST(seq AS BIGINT) AS _seq FROM (VALUES "
          "('o1', 'c1', 10.00, '2026-01-06 10:00:00', NULL, 5), "
          "('o2', 'c2', 5.00, '2026-01-06 11:00:00', 'gift', 6), "
          "('o3', 'c1', 0.00, '2026-01-06 12:00:00', NULL, 7), "
          "('o4', 'c9', 8.00, '2026-01-06 13:00:00', 'x', 8), "
          "('o5', 'c4', 7.00, '2026-03-01 00:00:00', 'y', 9)) t(id, customer, total, day, note, "
          "seq)");
  raw.Commit(1);
}

TEST_F(CurationTest, FailingRowsGoToQuarantineWithTheirRule) {
  WriteShop(raw_);
  const auto report = Curate();
  using Table = std::vector<std::vector<std::optional<std::string>>>;
  EXPECT_EQ(Rows("customers", "customer_id"), (Table{{"c1"}, {"c4"}}));
  EXPECT_EQ(Rows("customers", "customer_id, _rule, _rule_kind", true),
            (Table{{"c2", "customers.email_well_formed", "row"},
                   {"c3", "customers.created_at_not_future", "row"}}));
  EXPECT_EQ(Rows("orders", "order_id"), (Table{{"o1"}}));
  EXPECT_EQ(Rows("orders", "order_id, _rule", true),
            (Table{{"o2", "foreign_key.fk_orders_customer"},
                   {"o3", "orders.total_amount_positive"},
                   {"o4", "foreign_key.fk_orders_customer"},
                   {"o5", "orders.order_date_not_future"}}));
  for (const auto& table : report.tables) {
    if (table.table == "orders") {
      EXPECT_EQ(table.rows, 1u);
      EXPECT_EQ(table.quarantined, 4u);
      EXPECT_EQ(table.quarantine_rules.at("foreign_key.fk_orders_customer"), 2u);
    }
  }

  // The customer's email is fixed: c2 is published, and so is its order,
  // whose reference rule is evaluated again; o3 stays quarantined.
  raw_.WriteFile("customers", 2, 0,
                 "SELECT 'c2' AS customer_id, 'bo@shop.example' AS email, TIMESTAMPTZ "
                 "'2026-01-05 00:00:00+00' AS created_at, 'U' AS _op, " +
                     Ts(2) + " AS _commit_ts, CAST(10 AS BIGINT) AS _seq");
  raw_.Commit(2);
  Curate();
  EXPECT_EQ(Rows("customers", "customer_id"), (Table{{"c1"}, {"c2"}, {"c4"}}));
  EXPECT_EQ(Rows("orders", "order_id"), (Table{{"o1"}, {"o2"}}));
  EXPECT_EQ(Rows("orders", "order_id", true), (Table{{"o3"}, {"o4"}, {"o5"}}));
}

TEST_F(CurationTest, QualityScoresOfCraftedTables) {
  WriteShop(raw_);
  const auto report = Curate();
  std::map<std::string, QualityScore> scores;
  for (const auto& table : report.tables) scores[table.table] = table.quality;
  // customers: 4 rows × 4 columns (customer_id, email_token, email_masked,
  // created_at), no NULL; 2 rows fail row rules; no foreign keys; c4 copies
  // c1 apart from its key.
  const auto& customers = scores.at("customers");
  EXPECT_EQ(customers.rows, 4u);
  EXPECT_DOUBLE_EQ(customers.completeness, 1.0);
  EXPECT_DOUBLE_EQ(customers.validity, 0.5);
  EXPECT_DOUBLE_EQ(customers.consistency, 1.0);
  EXPECT_DOUBLE_EQ(customers.uniqueness, 0.75);
  EXPECT_NEAR(customers.overall, 0.3 * 1 + 0.3 * 0.5 + 0.2 * 1 + 0.2 * 0.75, 1e-12);
  // orders: 5 rows × 5 columns with 2 NULL notes; o3, o5 fail row rules;
  // o2, o4 fail the reference rule; no copies.
  const auto& orders = scores.at("orders");
  EXPECT_EQ(orders.rows, 5u);
  EXPECT_NEAR(orders.completeness, 0.92, 1e-12);
  EXPECT_DOUBLE_EQ(orders.validity, 0.6);
  EXPECT_DOUBLE_EQ(orders.consistency, 0.6);
  EXPECT_DOUBLE_EQ(orders.uniqueness, 1.0);
  EXPECT_NEAR(orders.overall, 0.3 * 0.92 + 0.3 * 0.6 + 0.2 * 0.6 + 0.2 * 1.0, 1e-12);
  // Stored with the run.
  const auto tier = lake::RunTierLayout::Curated(lake_.path());
  const auto record = CuratedRunRecord::Read(tier.RunDir("orders", *tier.CurrentRun("orders")));
  ASSERT_TRUE(record.has_value());
  EXPECT_DOUBLE_EQ(record->quality.overall, orders.overall);
  EXPECT_EQ(record->quarantined, 4u);
}

// ---------------------------------------------------------------------------
// Protection.

// Every value of every Parquet file under curated/, as text.
std::vector<std::string> AllCuratedValues(engine::Connection& connection, const fs::path& lake) {
  std::vector<std::string> values;
  for (const auto& entry : fs::recursive_directory_iterator(lake / "curated")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".parquet") continue;
    const std::string scan = lake::IsEncryptedParquetFile(entry.path())
                                 ? lake::EncryptedParquetScan({entry.path().string()}, "k")
                                 : "read_parquet('" + entry.path().string() + "')";
    auto result = connection.Query("SELECT * FROM " + scan);
    for (idx_t c = 0; c < result.ColumnCount(); ++c) values.push_back(result.ColumnName(c));
    for (const auto& row : result.FetchAllAsText()) {
      for (const auto& value : row) {
        if (value) values.push_back(*value);
      }
    }
  }
  return values;
}

// Independent of the product's detector: digit runs of 13-19 (separators
// removed) that pass Luhn.
bool LooksLikePan(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c != ' ' && c != '-') {
      digits.clear();
    }
    for (size_t length = 13; length <= 19 && length <= digits.size(); ++length) {
      const std::string candidate = digits.substr(digits.size() - length);
      int sum = 0;
      for (size_t i = 0; i < candidate.size(); ++i) {
        int d = candidate[candidate.size() - 1 - i] - '0';
        if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
      }
      if (sum % 10 == 0) return true;
    }
  }
  return false;
}

void WriteSensitive(RawLakeBuilder& raw, uint64_t commit, int64_t seq, const std::string& phone) {
  raw.WriteFile("customers", commit, 0,
                "SELECT 'c1' AS customer_id, 'Jane.Doe@Example.com' AS email, '" + phone +
                    "' AS phone, 'paid by 4111 1111 1111 1111' AS notes, 'U' AS _op, " + Ts(1) +
                    " AS _commit_ts, CAST(" + std::to_string(seq) + " AS BIGINT) AS _seq");
  raw.WriteFile("payments", commit, 0,
                "SELECT 'p1' AS payment_id, 'jane.doe@example.com' AS customer_email, "
                "'5500-0000-0000-0004' AS card_number, '123' AS cvv, '0004' AS card_last_four, "
                "'U' AS _op, " +
                    Ts(1) + " AS _commit_ts, CAST(" + std::to_string(seq + 1) +
                    " AS BIGINT) AS _seq");
  raw.Commit(commit);
}

TEST_F(CurationTest, NoRawEmailPhoneOrCardNumberLandsAndTokensAreStable) {
  raw_.AddTable("customers", {"customer_id"});
  raw_.AddTable("payments", {"payment_id"});
  WriteSensitive(raw_, 1, 1, "+1 555-010-9876");
  Curate(true);
  using Table = std::vector<std::vector<std::optional<std::string>>>;
  const auto token = PiiToken(kPiiKey, "jane.doe@example.com");
  EXPECT_EQ(Rows("customers", "email_token, email_masked, phone_masked, notes"),
            (Table{{token, "j***@example.com", "***-***-9876", "paid by **** **** **** 1111"}}));
  // The same email in another table gets the same token: joins work.
  EXPECT_EQ(Rows("payments", "customer_email_token, card_number, card_last_four"),
            (Table{{token, "0004", "0004"}}));
  const auto values = AllCuratedValues(connection_, lake_.path());
  ASSERT_FALSE(values.empty());
  for (const auto& value : values) {
    const std::string lower = [&] {
      std::string l = value;
      std::transform(l.begin(), l.end(), l.begin(), ::tolower);
      return l;
    }();
    EXPECT_EQ(lower.find("jane.doe"), std::string::npos) << value;
    EXPECT_EQ(value.find("010-9876"), std::string::npos) << value;
    EXPECT_EQ(value.find("5550109876"), std::string::npos) << value;
    EXPECT_FALSE(LooksLikePan(value)) << value;
    EXPECT_NE(lower, "cvv") << "a CVV column landed";
    EXPECT_NE(value, "123") << "a CVV value landed";
  }
  // A second run (the phone changed): the email's token is unchanged.
  WriteSensitive(raw_, 2, 3, "+1 555-010-1111");
  Curate(true);
  EXPECT_EQ(Rows("customers", "email_token, phone_masked"), (Table{{token, "***-***-1111"}}));
}

// ---------------------------------------------------------------------------
// Encryption at rest and the query views.

TEST_F(CurationTest, CuratedFilesAreEncryptedAndReadableOnlyWithTheKey) {
  WriteShop(raw_);
  Curate(true);
  const auto tier = lake::RunTierLayout::Curated(lake_.path());
  const auto files = tier.CurrentFiles("orders");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(lake::IsEncryptedParquetFile(files[0]));
  EXPECT_THROW(connection_.Query("SELECT count(*) FROM read_parquet('" + files[0].string() + "')"),
               engine::DuckDbError);
  EXPECT_EQ(lake::VerifyEncryptedParquet(connection_, {files[0].string()}, "k"), 1u);

  // The query views: with the key, curated.* and the quarantine views work;
  // without it they are skipped with the reason.
  query::QueryDatabaseOptions with_key;
  with_key.lake_key = kKey;
  const query::QueryRunner runner(lake_.path(), with_key);
  const auto result = runner.Run(
      "SELECT (SELECT count(*) FROM curated.orders), (SELECT count(*) FROM "
      "curated.orders_quarantine), (SELECT count(*) FROM curated.customers)",
      {});
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0], (std::vector<query::QueryValue>{"1", "4", "2"}));
  const query::QueryRunner without_key(lake_.path());
  bool skipped = false;
  for (const auto& reason : without_key.Catalog().skipped) {
    if (reason.find("curated.orders:") == 0 &&
        reason.find("lake.encryption_key") != std::string::npos) {
      skipped = true;
    }
  }
  EXPECT_TRUE(skipped);
  query::QueryDatabaseOptions wrong_key;
  wrong_key.lake_key = kOtherKey;
  const query::QueryRunner wrong(lake_.path(), wrong_key);
  bool wrong_reported = false;
  for (const auto& reason : wrong.Catalog().skipped) {
    if (reason.find("curated.orders:") == 0 && reason.find("another key") != std::string::npos) {
      wrong_reported = true;
    }
  }
  EXPECT_TRUE(wrong_reported);

  // Curation with the wrong key cannot read the previous run: a clear
  // error, and the current run stays.
  const auto before = tier.CurrentRun("orders");
  raw_.WriteFile("customers", 2, 0,
                 "SELECT 'c5' AS customer_id, 'di@shop.example' AS email, TIMESTAMPTZ "
                 "'2026-01-05 00:00:00+00' AS created_at, 'I' AS _op, " +
                     Ts(2) + " AS _commit_ts, CAST(20 AS BIGINT) AS _seq");
  raw_.Commit(2);
  auto options = Options(true);
  options.encryption_key = kOtherKey;
  try {
    CurationStep(options).Run();
    ADD_FAILURE() << "curation with the wrong key succeeded";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("another key"), std::string::npos) << e.what();
  }
  options.encryption_key.clear();
  options.encrypt = false;
  try {
    CurationStep(options).Run();
    ADD_FAILURE() << "curation without the key succeeded";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("lake.encryption_key"), std::string::npos) << e.what();
  }
  EXPECT_EQ(tier.CurrentRun("orders"), before);
}

// ---------------------------------------------------------------------------
// Runs: one file per table and run, old runs pruned, leftovers removed.

TEST_F(CurationTest, OldRunsArePrunedAndEachRunHasOneDataFile) {
  raw_.AddTable("items", {"id"});
  const auto tier = lake::RunTierLayout::Curated(lake_.path());
  // A leftover of a killed run: a folder no pointer names.
  fs::create_directories(tier.RunDir("items", "20990101T000000.000000Z"));
  int64_t seq = 0;
  for (uint64_t commit = 1; commit <= 4; ++commit) {
    std::vector<Change> changes;
    for (int f = 0; f < 5; ++f) changes.push_back({static_cast<int>(seq), "v", 1, 'I', ++seq});
    for (uint32_t f = 0; f < 5; ++f) {
      raw_.WriteFile("items", commit, f, ChangesSelect({changes[f]}));
    }
    raw_.Commit(commit);
    auto options = Options();
    options.keep_runs = 2;
    CurationStep(options).Run();
  }
  const auto runs = tier.Runs("items");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs.back(), *tier.CurrentRun("items"));
  EXPECT_EQ(tier.CurrentFiles("items").size(), 1u);
  EXPECT_EQ(Rows("items", "count(*)")[0][0], "20");
}

}  // namespace
}  // namespace futureim::pipeline

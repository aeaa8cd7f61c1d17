#include "systems/compliance/pci_compliance.h"

#include <algorithm>

#include "engine/sql_text.h"
#include "systems/compliance/card_number_scanner.h"

namespace futureim::systems::compliance {
namespace {

struct TextColumn {
  std::string schema;
  std::string table;
  std::string column;
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool IsCvvName(const std::string& name) {
  const std::string lower = Lower(name);
  for (const char* word : {"cvv", "cvc", "security_code", "card_verification", "cid"}) {
    if (lower == word || lower.find(word) != std::string::npos) {
      if (std::string_view(word) == "cid" && lower != "cid") continue;  // "incident" is not a CVV
      return true;
    }
  }
  return false;
}

bool IsMaskedCardName(const std::string& name) {
  const std::string lower = Lower(name);
  return lower.find("last_four") != std::string::npos || lower.find("last4") != std::string::npos;
}

std::vector<TextColumn> ListColumns(engine::Connection& lake,
                                    const std::vector<std::string>& schemas, bool text_only) {
  std::string in_list;
  for (const auto& schema : schemas) {
    if (!in_list.empty()) in_list += ", ";
    in_list += engine::QuoteLiteral(schema);
  }
  if (in_list.empty()) return {};
  auto result = lake.Query(
      "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE "
      "table_schema IN (" +
      in_list + ")" + (text_only ? " AND data_type = 'VARCHAR'" : "") +
      " ORDER BY table_schema, table_name, ordinal_position");
  std::vector<TextColumn> columns;
  while (auto chunk = result.NextChunk()) {
    for (idx_t row = 0; row < chunk->Size(); ++row) {
      columns.push_back({std::string(chunk->Column(0).GetString(row)),
                         std::string(chunk->Column(1).GetString(row)),
                         std::string(chunk->Column(2).GetString(row))});
    }
  }
  return columns;
}

std::string Qualified(const TextColumn& column) {
  return engine::QuoteIdentifier(column.schema) + "." + engine::QuoteIdentifier(column.table);
}

PciCheck ScanForCardNumbers(engine::Connection& lake, const std::vector<TextColumn>& columns,
                            PciReport& report) {
  PciCheck check{
      .id = "pan_storage",
      .requirement = "3.4: render PAN unreadable anywhere it is stored",
      .passed = true,
      .severity = "critical",
      .findings = nlohmann::json::array(),
      .remediation =
          "Remove or mask the card numbers at the source; the curation step masks columns "
          "named as card numbers, so rename or drop free-text fields that capture them."};
  // One pass per table (a raw_current view merges the table's change files
  // each time it is read): the rows where any text column holds 13+ digits
  // (separators allowed), which DuckDB filters without copying the rest out.
  constexpr std::string_view kCandidate = "'[0-9](?:[ -]?[0-9]){12,18}'";
  for (size_t begin = 0; begin < columns.size();) {
    size_t end = begin;
    while (end < columns.size() && columns[end].schema == columns[begin].schema &&
           columns[end].table == columns[begin].table) {
      ++end;
    }
    std::string select, filter, counts;
    for (size_t c = begin; c < end; ++c) {
      const std::string name = engine::QuoteIdentifier(columns[c].column);
      select += (c == begin ? "" : ", ") + name;
      filter += (c == begin ? "" : " OR ") +
                ("regexp_matches(" + name + ", " + std::string(kCandidate) + ")");
      counts += (c == begin ? "" : " + ") + ("count(" + name + ")");
    }
    const std::string table = Qualified(columns[begin]);
    report.values_scanned += static_cast<size_t>(
        lake.Query("SELECT " + counts + " FROM " + table).ScalarInt64().value_or(0));
    report.columns_scanned += end - begin;
    std::vector<size_t> hits(end - begin, 0);
    std::vector<std::string> samples(end - begin);
    std::vector<std::string_view> brands(end - begin);
    auto result = lake.Query("SELECT " + select + " FROM " + table + " WHERE " + filter);
    while (auto chunk = result.NextChunk()) {
      for (idx_t row = 0; row < chunk->Size(); ++row) {
        for (size_t c = 0; c < end - begin; ++c) {
          const auto column = chunk->Column(c);
          if (column.IsNull(row)) continue;
          const auto matches = FindCardNumbers(column.GetString(row));
          if (matches.empty()) continue;
          hits[c] += 1;
          if (samples[c].empty()) {
            samples[c] = MaskCardNumber(matches.front().digits);
            brands[c] = matches.front().brand;
          }
        }
      }
    }
    for (size_t c = 0; c < end - begin; ++c) {
      if (hits[c] == 0) continue;
      check.passed = false;
      check.findings.push_back({{"schema", columns[begin + c].schema},
                                {"table", columns[begin + c].table},
                                {"column", columns[begin + c].column},
                                {"values_with_pan", hits[c]},
                                {"brand", brands[c]},
                                {"masked_sample", samples[c]}});
    }
    begin = end;
  }
  return check;
}

PciCheck CheckCvvColumns(const std::vector<TextColumn>& all_columns) {
  PciCheck check{
      .id = "cvv_storage",
      .requirement = "3.3.1.2: do not store the card verification code after authorisation",
      .passed = true,
      .severity = "critical",
      .findings = nlohmann::json::array(),
      .remediation = "Drop the column at the source; never replicate verification codes."};
  for (const auto& column : all_columns) {
    if (!IsCvvName(column.column)) continue;
    check.passed = false;
    check.findings.push_back(
        {{"schema", column.schema}, {"table", column.table}, {"column", column.column}});
  }
  return check;
}

PciCheck CheckMasking(engine::Connection& lake, const std::vector<TextColumn>& text_columns) {
  PciCheck check{.id = "card_masking",
                 .requirement = "3.3: display at most the first six and last four digits",
                 .passed = true,
                 .severity = "high",
                 .findings = nlohmann::json::array(),
                 .remediation = "Store only the last four digits in masked card fields."};
  for (const auto& column : text_columns) {
    if (!IsMaskedCardName(column.column)) continue;
    const std::string name = engine::QuoteIdentifier(column.column);
    const auto longer =
        lake.Query("SELECT count(*) FROM " + Qualified(column) + " WHERE length(regexp_replace(" +
                   name + ", '[^0-9]', '', 'g')) > 4")
            .ScalarInt64();
    if (longer.value_or(0) > 0) {
      check.passed = false;
      check.findings.push_back({{"schema", column.schema},
                                {"table", column.table},
                                {"column", column.column},
                                {"values_with_more_than_four_digits", *longer}});
    }
  }
  return check;
}

PciCheck ConfigurationCheck(std::string id, std::string requirement, bool passed,
                            std::string severity, std::string finding, std::string remediation) {
  PciCheck check{.id = std::move(id),
                 .requirement = std::move(requirement),
                 .passed = passed,
                 .severity = std::move(severity),
                 .findings = nlohmann::json::array(),
                 .remediation = std::move(remediation)};
  if (!passed) check.findings.push_back({{"setting", std::move(finding)}});
  return check;
}

}  // namespace

PciReport CheckPciCompliance(engine::Connection& lake, const std::vector<std::string>& schemas,
                             const PciConfiguration& configuration) {
  PciReport report;
  const auto text_columns = ListColumns(lake, schemas, true);
  const auto all_columns = ListColumns(lake, schemas, false);
  report.checks.push_back(ScanForCardNumbers(lake, text_columns, report));
  report.checks.push_back(CheckCvvColumns(all_columns));
  report.checks.push_back(CheckMasking(lake, text_columns));
  report.checks.push_back(ConfigurationCheck(
      "encryption_at_rest", "3.5: protect stored account data with strong cryptography",
      configuration.lake_encrypted, "high", "lake.encrypt = false",
      "Set lake.encrypt = true (curated and prod Parquet are then AES-GCM encrypted)."));
  report.checks.push_back(ConfigurationCheck(
      "tls_in_transit", "4.2: strong cryptography for data in transit", configuration.api_tls,
      "high", "server.tls_cert / server.tls_key_path not set",
      "Set server.tls_cert and server.tls_key_path so the API serves HTTPS only."));
  report.checks.push_back(ConfigurationCheck(
      "source_tls", "4.2: encrypt the replication link", configuration.source_tls_required,
      "medium", "source.tls is not required", "Set source.tls = required."));
  report.checks.push_back(
      ConfigurationCheck("audit_logging", "10.2: audit logs record user access",
                         configuration.audit_logging, "high", "the audit log is not recording",
                         "Enable the audit log (metadata database audit_log table)."));
  const auto passed = std::count_if(report.checks.begin(), report.checks.end(),
                                    [](const PciCheck& c) { return c.passed; });
  report.score = 100.0 * static_cast<double>(passed) / static_cast<double>(report.checks.size());
  return report;
}

nlohmann::json ToJson(const PciReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  nlohmann::json failed = nlohmann::json::array();
  nlohmann::json remediation = nlohmann::json::array();
  for (const auto& check : report.checks) {
    checks.push_back({{"id", check.id},
                      {"requirement", check.requirement},
                      {"passed", check.passed},
                      {"severity", check.passed ? "" : check.severity},
                      {"findings", check.findings}});
    if (!check.passed) {
      failed.push_back(check.id);
      remediation.push_back(
          {{"check", check.id}, {"severity", check.severity}, {"action", check.remediation}});
    }
  }
  return {{"compliance_score", report.score},
          {"overall_compliant", failed.empty()},
          {"checks", checks},
          {"failed_checks", failed},
          {"remediation", remediation},
          {"columns_scanned", report.columns_scanned},
          {"values_scanned", report.values_scanned}};
}

}  // namespace futureim::systems::compliance

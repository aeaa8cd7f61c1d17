#include "replicate/replication_verifier.h"

#include <thread>

#include "core/error.h"
#include "engine/duckdb.h"
#include "engine/sql_text.h"
#include "lake/raw_current_state.h"
#include "replicate/raw_change_writer.h"
#include "replicate/replication_state.h"
#include "source/charset_transcoder.h"
#include "source/snapshot_reader.h"
#include "source/source_schema_reader.h"

namespace futureim::replicate {
namespace {

using engine::QuoteIdentifier;

std::optional<ReplicationState> ReadCommittedState(const lake::RawTierLayout& layout) {
  return ReadReplicationState(layout.ManifestPath());
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator,
                 const std::function<std::string(const std::string&)>& each) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += each(part);
  }
  return out;
}

// Loads the source's rows of `schema` into DuckDB table `target`.
void LoadSourceRows(const ReplicationOptions& options, engine::Connection& connection,
                    const source::TableMap& map, const RawTableSchema& schema,
                    source::SnapshotReader& snapshot, const source::CharsetTranscoder& transcoder,
                    const std::string& target) {
  std::string columns;
  for (const auto& column : schema.columns) {
    if (!columns.empty()) columns += ", ";
    columns += QuoteIdentifier(column.name) + " " + column.sql_type;
  }
  connection.Execute("CREATE TEMP TABLE " + target + " (" + columns + ")");
  engine::Appender appender(connection, target);
  ConversionWarnings warnings;
  source::SnapshotReader::Key after;
  for (;;) {
    source::SnapshotReader::Key last;
    const uint64_t rows = snapshot.ReadChunk(
        map, after, options.chunk_rows,
        [&](const source::RowImage& row) {
          for (size_t i = 0; i < schema.columns.size(); ++i) {
            AppendRawValue(appender, schema.columns[i], row[i], transcoder, warnings);
          }
          appender.EndRow();
        },
        last);
    if (schema.primary_key.empty() || rows < options.chunk_rows) break;
    after = std::move(last);
  }
  appender.Close();
}

// What lake::RawCurrentState needs of every table with committed files at
// `commit`: verify computes the current state exactly as the raw_current
// views and curation do, ON DELETE actions included.
lake::RawCurrentState CurrentStateOf(const ReplicationOptions& options,
                                     const ReplicationState& state) {
  std::vector<lake::RawTableChanges> tables;
  for (const auto& [name, progress] : state.tables) {
    const auto files = options.layout.CommittedFiles(progress.schema, progress.table, state.commit);
    if (files.empty()) continue;
    tables.push_back({progress.schema, progress.table, progress.primary_key, progress.foreign_keys,
                      "read_parquet(" + engine::PathListLiteral(files) + ", union_by_name=true)"});
  }
  return lake::RawCurrentState(std::move(tables));
}

TableVerification VerifyTable(const ReplicationOptions& options, const TableProgress& progress,
                              const lake::RawCurrentState& lake_state,
                              const source::CharsetTranscoder& transcoder,
                              source::SnapshotReader& snapshot, size_t max_keys) {
  TableVerification result;
  result.table = progress.QualifiedName();
  auto schema_connection = source::MysqlConnection::Connect(options.endpoint);
  const source::TableMap map =
      source::SourceSchemaReader(schema_connection).ReadTable(progress.schema, progress.table);
  const RawTableSchema schema = RawTableSchema::FromTableMap(map);
  if (schema.primary_key.empty()) {
    result.error = "no primary key: the current state cannot be compared by key";
    return result;
  }
  engine::Database db;
  engine::Connection connection(db);
  connection.Execute("SET TimeZone='UTC'");
  LoadSourceRows(options, connection, map, schema, snapshot, transcoder, "source_rows");
  std::string columns;
  for (const auto& column : schema.columns) {
    if (!columns.empty()) columns += ", ";
    columns += QuoteIdentifier(column.name) + " " + column.sql_type;
  }
  connection.Execute("CREATE TEMP TABLE lake_rows (" + columns + ")");
  if (lake_state.HasCurrentState(progress.schema, progress.table)) {
    std::string projected;
    for (const auto& column : schema.columns) {
      if (!projected.empty()) projected += ", ";
      projected += "CAST(" + QuoteIdentifier(column.name) + " AS " + column.sql_type + ")";
    }
    connection.Execute("INSERT INTO lake_rows SELECT " + projected + " FROM (" +
                       lake_state.Select(progress.schema, progress.table) + ")");
  }

  const auto quote = [](const std::string& name) { return QuoteIdentifier(name); };
  std::vector<std::string> names;
  for (const auto& column : schema.columns) names.push_back(column.name);
  const std::string row_hash = "hash(" + Join(names, ", ", quote) + ")";
  for (const auto& [table, count, checksum] :
       {std::tuple{"source_rows", &result.source_rows, &result.source_checksum},
        std::tuple{"lake_rows", &result.lake_rows, &result.lake_checksum}}) {
    auto rows = connection
                    .Query(std::string("SELECT count(*), coalesce(sum(") + row_hash +
                           "::HUGEINT), 0)::VARCHAR FROM " + table)
                    .FetchAllAsText();
    *count = std::stoull(*rows[0][0]);
    *checksum = *rows[0][1];
  }
  const std::string key_match = Join(schema.primary_key, " AND ", [](const std::string& k) {
    return "s." + QuoteIdentifier(k) + " IS NOT DISTINCT FROM l." + QuoteIdentifier(k);
  });
  const std::string key_text = Join(schema.primary_key, " || '|' || ", [](const std::string& k) {
    return "coalesce(CAST(coalesce(s." + QuoteIdentifier(k) + ", l." + QuoteIdentifier(k) +
           ") AS VARCHAR), 'NULL')";
  });
  const std::string first_key = QuoteIdentifier(schema.primary_key[0]);
  auto diff = connection.Query(
      "WITH s AS (SELECT *, " + row_hash + " AS _h FROM source_rows), l AS (SELECT *, " + row_hash +
      " AS _h FROM lake_rows), d AS (SELECT CASE WHEN l." + first_key +
      " IS NULL THEN 'missing' WHEN s." + first_key +
      " IS NULL THEN 'extra' ELSE 'different' END AS kind, " + key_text +
      " AS k FROM s FULL OUTER JOIN l ON " + key_match +
      " WHERE s._h IS DISTINCT FROM l._h) SELECT kind, k FROM d ORDER BY k");
  for (const auto& row : diff.FetchAllAsText()) {
    const std::string& kind = *row[0];
    if (kind == "missing") ++result.missing_in_lake;
    if (kind == "extra") ++result.extra_in_lake;
    if (kind == "different") ++result.different;
    if (result.mismatched_keys.size() < max_keys) {
      result.mismatched_keys.push_back(kind + ": " + row[1].value_or("NULL"));
    }
  }
  return result;
}

}  // namespace

bool VerificationReport::ok() const {
  return lake_caught_up &&
         std::all_of(tables.begin(), tables.end(), [](const auto& t) { return t.ok(); });
}

nlohmann::json VerificationReport::ToJson() const {
  nlohmann::json tables_json = nlohmann::json::array();
  for (const auto& t : tables) {
    nlohmann::json j = {{"table", t.table},
                        {"ok", t.ok()},
                        {"source_rows", t.source_rows},
                        {"lake_rows", t.lake_rows},
                        {"source_checksum", t.source_checksum},
                        {"lake_checksum", t.lake_checksum},
                        {"missing_in_lake", t.missing_in_lake},
                        {"extra_in_lake", t.extra_in_lake},
                        {"different", t.different},
                        {"mismatched_keys", t.mismatched_keys}};
    if (!t.error.empty()) j["error"] = t.error;
    tables_json.push_back(std::move(j));
  }
  return {{"ok", ok()},
          {"lake_caught_up", lake_caught_up},
          {"source_position", source_position},
          {"lake_position", lake_position},
          {"tables", tables_json}};
}

VerificationReport ReplicationVerifier::Verify(std::chrono::seconds wait, size_t max_keys_listed) {
  VerificationReport report;
  const auto state = ReadCommittedState(options_.layout);
  if (!state) {
    throw core::Error("the lake at " + options_.layout.lake_root().string() +
                      " has no replication state yet: run `futureim replicate` first");
  }
  auto connection = source::MysqlConnection::Connect(options_.endpoint);
  const auto transcoder = source::CharsetTranscoder::FromServer(connection);
  for (const auto& [name, progress] : state->tables) {
    if (progress.state == TableState::kDropped) continue;
    auto snapshot = source::SnapshotReader::Begin(options_.endpoint);
    report.source_position = FormatBinlogPosition(snapshot.position());
    // Wait for the lake to hold every change the snapshot shows.
    const auto deadline = std::chrono::steady_clock::now() + wait;
    std::optional<ReplicationState> lake = ReadCommittedState(options_.layout);
    while (lake && (!lake->position || BinlogPositionLess(*lake->position, snapshot.position())) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      lake = ReadCommittedState(options_.layout);
    }
    if (lake->position) report.lake_position = FormatBinlogPosition(*lake->position);
    if (!lake->position || BinlogPositionLess(*lake->position, snapshot.position())) {
      report.lake_caught_up = false;
    }
    const auto& current = lake->tables.at(name);
    if (current.state != TableState::kStreaming) {
      TableVerification t;
      t.table = name;
      t.error = "table is " + TableStateName(current.state) + ", not streaming";
      report.tables.push_back(std::move(t));
      continue;
    }
    try {
      report.tables.push_back(VerifyTable(options_, current, CurrentStateOf(options_, *lake),
                                          transcoder, snapshot, max_keys_listed));
    } catch (const core::Error& e) {
      TableVerification t;
      t.table = name;
      t.error = e.what();
      report.tables.push_back(std::move(t));
    }
    snapshot.End();
  }
  return report;
}

}  // namespace futureim::replicate

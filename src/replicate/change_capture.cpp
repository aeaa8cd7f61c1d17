#include "replicate/change_capture.h"

#include "core/log.h"
#include "replicate/ddl_statement.h"
#include "source/binlog_control_events.h"
#include "source/binlog_row_decoder.h"

namespace futureim::replicate {
namespace {

using source::BinlogEventType;

std::string Qualified(const std::string& schema, const std::string& table) {
  return schema + "." + table;
}

// binlog_row_metadata other than FULL: the TABLE_MAP has types but no names
// (and maybe no signedness or charsets). Take those from information_schema
// at the current position — right unless the table's columns changed since
// the event was written, which a differing column count reveals.
bool MergeSchemaFallback(source::TableMap& map, const source::TableMap& current) {
  if (current.columns.size() != map.columns.size()) return false;
  for (size_t i = 0; i < map.columns.size(); ++i) {
    auto& column = map.columns[i];
    const auto& known = current.columns[i];
    column.name = known.name;
    column.is_unsigned = known.is_unsigned;
    if (!column.collation_id) column.collation_id = known.collation_id;
    if (column.enum_values.empty()) column.enum_values = known.enum_values;
    if (column.set_values.empty()) column.set_values = known.set_values;
  }
  if (map.primary_key.empty()) map.primary_key = current.primary_key;
  map.has_column_names = true;
  return true;
}

bool KeyChanged(const source::TableMap& map, const source::RowChange& change) {
  for (const uint32_t index : map.primary_key) {
    if (!(change.before.at(index) == change.after.at(index))) return true;
  }
  return false;
}

}  // namespace

ChangeCapture::ChangeCapture(ReplicationContext& context)
    : context_(context),
      writer_(context.database, context.options.layout, context.transcoder,
              {context.options.flush_bytes}),
      seqs_(context.checkpoint) {}

ChangeCapture::~ChangeCapture() = default;

bool ChangeCapture::Tracks(const std::string& name) const {
  const auto it = tables_.find(name);
  return it != tables_.end() && it->second.state != TableState::kDropped;
}

// A table's changes are applied once it streams, and only those of
// transactions that start at or after the position its load captured from.
bool ChangeCapture::Applies(const TableProgress& table) const {
  if (table.state != TableState::kStreaming) return false;
  return !table.load.capture_from || !BinlogPositionLess(group_start_, *table.load.capture_from);
}

source::SourceSchemaReader& ChangeCapture::SchemaReader() {
  if (!schema_reader_) {
    schema_connection_ = std::make_unique<source::MysqlConnection>(
        source::MysqlConnection::Connect(context_.options.endpoint));
    schema_reader_ = std::make_unique<source::SourceSchemaReader>(*schema_connection_);
  }
  return *schema_reader_;
}

const RawTableSchema& ChangeCapture::SchemaFor(const std::shared_ptr<const source::TableMap>& map) {
  auto it = schemas_.find(map.get());
  if (it == schemas_.end())
    it = schemas_.emplace(map.get(), RawTableSchema::FromTableMap(*map)).first;
  return it->second;
}

ChangeCapture::Outcome ChangeCapture::Run() {
  const ReplicationState state = context_.checkpoint.State();
  tables_ = state.tables;
  source::BinlogStreamOptions stream_options;
  stream_options.server_id = context_.options.server_id;
  stream_options.position = state.position.value_or(source::BinlogPosition{});
  // Idle heartbeats are when pending changes get committed: half the flush
  // interval keeps commit-to-queryable within about one interval.
  stream_options.heartbeat_period =
      std::max(std::chrono::milliseconds(100), context_.options.flush_interval / 2);
  auto stream = source::BinlogStream::Open(context_.options.endpoint, stream_options);
  flavor_ = stream.flavor();
  context_.metrics.SetPhase("streaming");
  context_.metrics.ClearError();
  last_commit_ = std::chrono::steady_clock::now();
  core::log::Info("replication_capture_started",
                  {{"position", FormatBinlogPosition(stream.position())}});

  for (;;) {
    if (!in_group_) {
      if (reload_needed_) {
        Commit();
        return Outcome::kReloadNeeded;
      }
      if (context_.stop) {
        Commit();
        return Outcome::kStopped;
      }
    }
    event_start_ = stream.position();
    const source::BinlogEvent& event = stream.Next();
    switch (event.type) {
      case BinlogEventType::kMariadbGtid: {
        const auto gtid = source::ParseGtidEvent(event);
        in_group_ = true;
        group_standalone_ = gtid.standalone();
        group_start_ = event_start_;
        group_ts_us_ = int64_t{event.timestamp} * 1'000'000;
        group_gtid_ = gtid.ToString();
        context_.metrics.ObserveSourceCommit(group_ts_us_);
        break;
      }
      case BinlogEventType::kMysqlGtid:
      case BinlogEventType::kMysqlAnonymousGtid:
        in_group_ = true;
        group_standalone_ = false;
        group_start_ = event_start_;
        group_ts_us_ = int64_t{event.timestamp} * 1'000'000;
        group_gtid_.clear();
        context_.metrics.ObserveSourceCommit(group_ts_us_);
        break;
      case BinlogEventType::kTableMap:
        OnTableMap(event);
        break;
      case BinlogEventType::kXid:
        EndGroup(stream.position());
        break;
      case BinlogEventType::kQuery: {
        const auto query = source::ParseQueryEvent(event);
        if (query.IsBegin()) {
          if (!in_group_) {  // a group without GTID event (old servers)
            in_group_ = true;
            group_start_ = event_start_;
            group_ts_us_ = int64_t{event.timestamp} * 1'000'000;
          }
        } else if (query.IsCommit() || query.IsRollback()) {
          EndGroup(stream.position());
        } else {
          if (!in_group_) {
            group_start_ = event_start_;
            group_ts_us_ = int64_t{event.timestamp} * 1'000'000;
          }
          OnDdl(query.statement, query.schema);
          if (!in_group_ || group_standalone_) EndGroup(stream.position());
        }
        break;
      }
      case BinlogEventType::kHeartbeat:
        if (!in_group_) {
          context_.metrics.ObserveCaughtUp();
          if (CommitDue()) Commit();
          if (context_.options.stop_when_caught_up) {
            Commit();
            return Outcome::kCaughtUp;
          }
        }
        break;
      default:
        if (source::IsRowsEvent(event.type)) OnRows(event);
        break;
    }
  }
}

void ChangeCapture::OnTableMap(const source::BinlogEvent& event) {
  source::TableMap map = source::ParseTableMap(event.body, flavor_);
  const std::string name = Qualified(map.schema, map.table);
  if (!map.has_column_names && Tracks(name)) {
    if (fallback_warned_.insert(name).second) {
      core::log::Warn("replication_schema_fallback",
                      {{"table", name},
                       {"reason", "binlog_row_metadata is not FULL"},
                       {"effect", "column names from information_schema at the current time"}});
    }
    const source::TableMap current = SchemaReader().ReadTable(map.schema, map.table);
    if (!MergeSchemaFallback(map, current)) {
      // Columns changed since this event: the table is reloaded after the
      // transaction; until then its rows cannot be named and are skipped.
      reload_after_group_.insert(name);
    }
  }
  table_maps_.Add(std::move(map));
}

void ChangeCapture::OnRows(const source::BinlogEvent& event) {
  const source::RowsEvent rows = source::BinlogRowDecoder::Decode(event, table_maps_);
  const source::TableMap& map = *rows.table;
  const std::string name = Qualified(map.schema, map.table);
  const auto it = tables_.find(name);
  if (it != tables_.end() && Applies(it->second) && map.has_column_names &&
      reload_after_group_.count(name) == 0) {
    const RawTableSchema& schema = SchemaFor(rows.table);
    if (!it->second.columns.empty() &&
        !schema.SameColumns(RawTableSchema{{}, {}, it->second.columns, {}})) {
      // The lake's columns differ from the binlog's: a DDL this reader did
      // not see (or saw before its load). Write the rows anyway (files are
      // self-describing) and reload the table after the transaction.
      reload_after_group_.insert(name);
    }
    TableCounters& counts = pending_counts_[name];
    for (const auto& change : rows.rows) {
      switch (rows.kind) {
        case source::RowChangeKind::kInsert:
          writer_.Append(schema, kOpInsert, group_ts_us_, seqs_.Next(), change.after);
          ++counts.inserts;
          break;
        case source::RowChangeKind::kUpdate:
          // An update that changes the key moves the row: the old key is
          // deleted, or the lake would keep it alive.
          if (KeyChanged(map, change)) {
            writer_.Append(schema, kOpDelete, group_ts_us_, seqs_.Next(), change.before);
            ++pending_rows_;
          }
          writer_.Append(schema, kOpUpdate, group_ts_us_, seqs_.Next(), change.after);
          ++counts.updates;
          break;
        case source::RowChangeKind::kDelete:
          writer_.Append(schema, kOpDelete, group_ts_us_, seqs_.Next(), change.before);
          ++counts.deletes;
          break;
      }
      ++pending_rows_;
    }
    counts.last_change_ts_us = group_ts_us_;
    pending_schemas_.insert_or_assign(name, schema);
  }
  if (rows.statement_end()) {
    table_maps_.Clear();
    schemas_.clear();
  }
}

void ChangeCapture::WriteTruncateMarker(const std::string& name) {
  TableProgress& table = tables_.at(name);
  if (table.columns.empty()) return;  // nothing in the lake yet
  RawTableSchema schema{table.schema, table.table, table.columns, table.primary_key};
  writer_.Append(schema, kOpTruncate, group_ts_us_, seqs_.Next(), {});
  ++pending_counts_[name].truncates;
  ++pending_rows_;
}

void ChangeCapture::MarkForLoad(const std::string& schema, const std::string& table) {
  const std::string name = Qualified(schema, table);
  auto& entry = tables_[name];
  entry.schema = schema;
  entry.table = table;
  entry.state = TableState::kPending;
  changed_tables_.insert(name);
  reload_needed_ = true;
  core::log::Info("replication_table_reload", {{"table", name}});
}

void ChangeCapture::OnDdl(const std::string& statement, const std::string& default_schema) {
  const DdlStatement ddl = DdlStatement::Parse(statement, default_schema);
  const auto& selection = context_.options.selection;
  auto applies = [&](const std::string& name) {
    return Tracks(name) &&
           (tables_.at(name).state != TableState::kStreaming || Applies(tables_.at(name)));
  };
  auto drop = [&](const TableRef& ref) {
    const std::string name = Qualified(ref.schema, ref.table);
    if (!applies(name)) return;
    WriteTruncateMarker(name);
    tables_.at(name).state = TableState::kDropped;
    changed_tables_.insert(name);
  };
  switch (ddl.kind) {
    case DdlStatement::Kind::kOther:
      return;
    case DdlStatement::Kind::kCreateTable:
      for (const auto& ref : ddl.tables) {
        const std::string name = Qualified(ref.schema, ref.table);
        if (!selection.Selects(ref.schema, ref.table)) continue;
        if (Tracks(name) && !applies(name)) continue;
        if (Tracks(name)) WriteTruncateMarker(name);  // CREATE OR REPLACE
        MarkForLoad(ref.schema, ref.table);
      }
      return;
    case DdlStatement::Kind::kDropTable:
      for (const auto& ref : ddl.tables) drop(ref);
      return;
    case DdlStatement::Kind::kTruncateTable:
      for (const auto& ref : ddl.tables) {
        const std::string name = Qualified(ref.schema, ref.table);
        if (applies(name)) WriteTruncateMarker(name);
      }
      return;
    case DdlStatement::Kind::kRenameTable:
    case DdlStatement::Kind::kAlterTable:
      for (const auto& [from, to] : ddl.renames) {
        drop(from);
        if (selection.Selects(to.schema, to.table)) MarkForLoad(to.schema, to.table);
      }
      if (ddl.kind == DdlStatement::Kind::kAlterTable && ddl.renames.empty()) {
        for (const auto& ref : ddl.tables) {
          const std::string name = Qualified(ref.schema, ref.table);
          if (!applies(name)) continue;
          // Only a change of columns needs a reload; ADD INDEX and the like
          // leave the rows as they are.
          const RawTableSchema current =
              RawTableSchema::FromTableMap(SchemaReader().ReadTable(ref.schema, ref.table));
          if (!current.SameColumns(RawTableSchema{{}, {}, tables_.at(name).columns, {}})) {
            MarkForLoad(ref.schema, ref.table);
            continue;
          }
          // ADD/DROP FOREIGN KEY: readers apply the new ON DELETE actions.
          auto foreign_keys = ReadForeignKeyRules(SchemaReader(), ref.schema, ref.table);
          if (foreign_keys != tables_.at(name).foreign_keys) {
            tables_.at(name).foreign_keys = foreign_keys;
            pending_foreign_keys_[name] = std::move(foreign_keys);
            changed_tables_.insert(name);
          }
        }
      }
      return;
  }
}

void ChangeCapture::EndGroup(const source::BinlogPosition& end) {
  in_group_ = false;
  for (const auto& name : reload_after_group_) {
    const auto dot = name.find('.');
    MarkForLoad(name.substr(0, dot), name.substr(dot + 1));
  }
  reload_after_group_.clear();
  if (oldest_pending_ts_us_ == 0 && pending_rows_ > 0) oldest_pending_ts_us_ = group_ts_us_;
  pending_position_ = end;
  if (!group_gtid_.empty()) pending_gtid_ = group_gtid_;
  if (CommitDue()) Commit();
}

bool ChangeCapture::CommitDue() const {
  if (!pending_position_ && changed_tables_.empty()) return false;
  if (!changed_tables_.empty()) return true;
  const auto now = std::chrono::steady_clock::now();
  return now - last_commit_ >= context_.options.flush_interval ||
         writer_.buffered_bytes() >= context_.options.flush_bytes;
}

void ChangeCapture::Commit() {
  if (!pending_position_ && changed_tables_.empty()) return;
  const uint64_t rows = pending_rows_;
  context_.checkpoint.Commit(writer_.TakeStagedFiles(), [&](ReplicationState& state) {
    if (pending_position_) state.position = *pending_position_;
    if (!pending_gtid_.empty()) state.last_gtid = pending_gtid_;
    const int64_t now = WallClockMicros();
    for (const auto& [name, counts] : pending_counts_) {
      TableCounters& total = state.tables.at(name).counters;
      total.inserts += counts.inserts;
      total.updates += counts.updates;
      total.deletes += counts.deletes;
      total.truncates += counts.truncates;
      if (counts.last_change_ts_us > 0) total.last_change_ts_us = counts.last_change_ts_us;
      total.last_commit_at_us = now;
    }
    for (const auto& [name, schema] : pending_schemas_) {
      state.tables.at(name).columns = schema.columns;
    }
    for (const auto& [name, foreign_keys] : pending_foreign_keys_) {
      state.tables.at(name).foreign_keys = foreign_keys;
    }
    for (const auto& name : changed_tables_) {
      TableProgress& target = state.tables[name];
      const TableProgress& source = tables_.at(name);
      target.schema = source.schema;
      target.table = source.table;
      target.state = source.state;
    }
    const ConversionWarnings warnings = writer_.TakeWarnings();
    state.zero_dates += warnings.zero_dates;
    state.unsupported_values += warnings.unsupported_values;
  });
  context_.metrics.ObserveLakeCommit(oldest_pending_ts_us_, rows);
  pending_counts_.clear();
  pending_schemas_.clear();
  pending_foreign_keys_.clear();
  changed_tables_.clear();
  pending_position_.reset();
  pending_gtid_.clear();
  oldest_pending_ts_us_ = 0;
  pending_rows_ = 0;
  last_commit_ = std::chrono::steady_clock::now();
}

}  // namespace futureim::replicate

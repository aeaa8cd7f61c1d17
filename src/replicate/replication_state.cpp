#include "replicate/replication_state.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace futureim::replicate {
namespace {

using nlohmann::json;

json PositionJson(const source::BinlogPosition& position) {
  return {{"file", position.file}, {"offset", position.offset}};
}

source::BinlogPosition PositionFromJson(const json& j) {
  return {j.at("file").get<std::string>(), j.at("offset").get<uint64_t>()};
}

TableState TableStateFromName(const std::string& name) {
  for (const auto state :
       {TableState::kPending, TableState::kLoading, TableState::kStreaming, TableState::kDropped}) {
    if (TableStateName(state) == name) return state;
  }
  throw core::Error("unknown table state '" + name + "' in the replication manifest");
}

// The numeric suffix of "mysql-bin.000123"; file names without one compare
// as 0 and then by name.
uint64_t FileNumber(const std::string& file) {
  const size_t dot = file.rfind('.');
  if (dot == std::string::npos) return 0;
  uint64_t number = 0;
  const auto result = std::from_chars(file.data() + dot + 1, file.data() + file.size(), number);
  return result.ec == std::errc() && result.ptr == file.data() + file.size() ? number : 0;
}

}  // namespace

std::string TableStateName(TableState state) {
  switch (state) {
    case TableState::kPending:
      return "pending";
    case TableState::kLoading:
      return "loading";
    case TableState::kStreaming:
      return "streaming";
    case TableState::kDropped:
      return "dropped";
  }
  return "unknown";
}

bool BinlogPositionLess(const source::BinlogPosition& a, const source::BinlogPosition& b) {
  const uint64_t fa = FileNumber(a.file);
  const uint64_t fb = FileNumber(b.file);
  if (fa != fb) return fa < fb;
  if (a.file != b.file) return a.file < b.file;
  return a.offset < b.offset;
}

std::string FormatBinlogPosition(const source::BinlogPosition& position) {
  return position.file + ":" + std::to_string(position.offset);
}

std::string HexEncode(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

std::string HexDecode(const std::string& hex) {
  auto nibble = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw core::Error("the replication manifest holds a malformed key");
  };
  if (hex.size() % 2 != 0) throw core::Error("the replication manifest holds a malformed key");
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    bytes += static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
  }
  return bytes;
}

json ReplicationState::ToJson() const {
  json tables_json = json::object();
  for (const auto& [name, t] : tables) {
    json columns = json::array();
    for (const auto& c : t.columns) columns.push_back({{"name", c.name}, {"type", c.sql_type}});
    json load = {{"after_key", t.load.after_key}, {"chunks", t.load.chunks}, {"done", t.load.done}};
    if (t.load.capture_from) load["capture_from"] = PositionJson(*t.load.capture_from);
    json foreign_keys = json::array();
    for (const auto& fk : t.foreign_keys) foreign_keys.push_back(lake::ForeignKeyRuleToJson(fk));
    const auto& n = t.counters;
    tables_json[name] = {
        {"schema", t.schema},
        {"table", t.table},
        {"state", TableStateName(t.state)},
        {"columns", columns},
        {"primary_key", t.primary_key},
        {"foreign_keys", foreign_keys},
        {"load", load},
        {"counters",
         {{"rows_loaded", n.rows_loaded},
          {"inserts", n.inserts},
          {"updates", n.updates},
          {"deletes", n.deletes},
          {"truncates", n.truncates},
          {"files", n.files},
          {"loads", n.loads},
          {"last_change_ts_us", n.last_change_ts_us},
          {"last_commit_at_us", n.last_commit_at_us}}},
    };
  }
  json j = {{"format", 1},
            {"commit", commit},
            {"committed_at_us", committed_at_us},
            {"next_seq", next_seq},
            {"last_gtid", last_gtid},
            {"tables", tables_json},
            {"warnings", {{"zero_dates", zero_dates}, {"unsupported_values", unsupported_values}}}};
  if (position) j["position"] = PositionJson(*position);
  return j;
}

ReplicationState ReplicationState::FromJson(const json& j) {
  if (j.value("format", 0) != 1) {
    throw core::Error("the replication manifest has an unknown format version");
  }
  ReplicationState state;
  state.commit = j.at("commit").get<uint64_t>();
  state.committed_at_us = j.at("committed_at_us").get<int64_t>();
  state.next_seq = j.at("next_seq").get<uint64_t>();
  state.last_gtid = j.value("last_gtid", "");
  if (j.contains("position")) state.position = PositionFromJson(j.at("position"));
  for (const auto& [name, tj] : j.at("tables").items()) {
    TableProgress t;
    t.schema = tj.at("schema").get<std::string>();
    t.table = tj.at("table").get<std::string>();
    t.state = TableStateFromName(tj.at("state").get<std::string>());
    for (const auto& cj : tj.at("columns")) {
      RawColumn column;
      column.name = cj.at("name").get<std::string>();
      column.sql_type = cj.at("type").get<std::string>();
      t.columns.push_back(std::move(column));
    }
    t.primary_key = tj.at("primary_key").get<std::vector<std::string>>();
    for (const auto& fj : tj.value("foreign_keys", json::array())) {
      t.foreign_keys.push_back(lake::ForeignKeyRuleFromJson(fj));
    }
    const auto& lj = tj.at("load");
    t.load.after_key = lj.at("after_key").get<std::vector<std::string>>();
    t.load.chunks = lj.at("chunks").get<uint64_t>();
    t.load.done = lj.at("done").get<bool>();
    if (lj.contains("capture_from")) t.load.capture_from = PositionFromJson(lj.at("capture_from"));
    const auto& nj = tj.at("counters");
    auto& n = t.counters;
    n.rows_loaded = nj.at("rows_loaded").get<uint64_t>();
    n.inserts = nj.at("inserts").get<uint64_t>();
    n.updates = nj.at("updates").get<uint64_t>();
    n.deletes = nj.at("deletes").get<uint64_t>();
    n.truncates = nj.at("truncates").get<uint64_t>();
    n.files = nj.at("files").get<uint64_t>();
    n.loads = nj.at("loads").get<uint64_t>();
    n.last_change_ts_us = nj.at("last_change_ts_us").get<int64_t>();
    n.last_commit_at_us = nj.at("last_commit_at_us").get<int64_t>();
    state.tables.emplace(name, std::move(t));
  }
  state.zero_dates = j.at("warnings").at("zero_dates").get<uint64_t>();
  state.unsupported_values = j.at("warnings").at("unsupported_values").get<uint64_t>();
  return state;
}

std::optional<ReplicationState> ReadReplicationState(const std::filesystem::path& manifest) {
  std::ifstream in(manifest);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(manifest, ec)) return std::nullopt;
    throw core::Error("cannot read the replication manifest " + manifest.string());
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    return ReplicationState::FromJson(nlohmann::json::parse(text.str()));
  } catch (const nlohmann::json::exception& e) {
    throw core::Error("the replication manifest " + manifest.string() + " is damaged (" + e.what() +
                      "); restore it from a backup, or start over with "
                      "`futureim replicate --resnapshot`");
  }
}

}  // namespace futureim::replicate

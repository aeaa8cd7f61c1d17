#include "source/binlog_control_events.h"

#include <algorithm>
#include <cctype>

#include "source/binlog_byte_reader.h"

namespace futureim::source {
namespace {

void ExpectType(const BinlogEvent& event, BinlogEventType type, const char* name) {
  if (event.type != type) throw std::logic_error(std::string("not a ") + name + " event");
}

// `statement` equals `keyword` ignoring case and surrounding whitespace/';'.
bool IsKeyword(const std::string& statement, std::string_view keyword) {
  size_t begin = 0;
  size_t end = statement.size();
  auto is_trim = [](char c) { return std::isspace(static_cast<unsigned char>(c)) || c == ';'; };
  while (begin < end && is_trim(statement[begin])) ++begin;
  while (end > begin && is_trim(statement[end - 1])) --end;
  if (end - begin != keyword.size()) return false;
  return std::equal(keyword.begin(), keyword.end(), statement.begin() + static_cast<long>(begin),
                    [](char a, char b) {
                      return std::toupper(static_cast<unsigned char>(a)) ==
                             std::toupper(static_cast<unsigned char>(b));
                    });
}

}  // namespace

std::string GtidEvent::ToString() const {
  return std::to_string(domain_id) + "-" + std::to_string(server_id) + "-" +
         std::to_string(sequence);
}

GtidEvent ParseGtidEvent(const BinlogEvent& event) {
  ExpectType(event, BinlogEventType::kMariadbGtid, "MariaDB GTID");
  BinlogByteReader reader(event.body);
  GtidEvent out;
  out.server_id = event.server_id;
  out.sequence = reader.U64();
  out.domain_id = reader.U32();
  out.flags = reader.U8();
  if (out.flags & GtidEvent::kGroupCommitId) out.commit_id = reader.U64();
  return out;
}

XidEvent ParseXidEvent(const BinlogEvent& event) {
  ExpectType(event, BinlogEventType::kXid, "XID");
  BinlogByteReader reader(event.body);
  return XidEvent{reader.U64()};
}

QueryEvent ParseQueryEvent(const BinlogEvent& event) {
  ExpectType(event, BinlogEventType::kQuery, "QUERY");
  BinlogByteReader reader(event.body);
  QueryEvent out;
  out.thread_id = reader.U32();
  out.execution_seconds = reader.U32();
  const uint8_t schema_length = reader.U8();
  out.error_code = reader.U16();
  const uint16_t status_length = reader.U16();
  reader.Skip(status_length);
  out.schema = std::string(reader.Text(schema_length));
  reader.Skip(1);  // NUL
  out.statement = std::string(reader.Text(reader.remaining()));
  return out;
}

bool QueryEvent::IsBegin() const { return IsKeyword(statement, "BEGIN"); }
bool QueryEvent::IsCommit() const { return IsKeyword(statement, "COMMIT"); }
bool QueryEvent::IsRollback() const { return IsKeyword(statement, "ROLLBACK"); }

RotateEvent ParseRotateEvent(const BinlogEvent& event) {
  ExpectType(event, BinlogEventType::kRotate, "ROTATE");
  BinlogByteReader reader(event.body);
  RotateEvent out;
  out.next.offset = reader.U64();
  out.next.file = std::string(reader.Text(reader.remaining()));
  out.artificial = event.log_position == 0;
  return out;
}

FormatDescriptionEvent ParseFormatDescriptionEvent(const BinlogEvent& event) {
  ExpectType(event, BinlogEventType::kFormatDescription, "FORMAT_DESCRIPTION");
  BinlogByteReader reader(event.body);
  FormatDescriptionEvent out;
  out.binlog_version = reader.U16();
  std::string_view version = reader.Text(50);
  out.server_version = std::string(version.substr(0, version.find('\0')));
  out.created = reader.U32();
  out.header_length = reader.U8();
  auto rest = reader.Rest();
  // Checksum-aware servers (MySQL 5.6.1+, MariaDB 5.3+, i.e. every supported
  // one) end the body with the checksum algorithm byte.
  if (!rest.empty()) {
    out.checksum_algorithm = rest.back();
    rest = rest.first(rest.size() - 1);
  }
  out.post_header_lengths.assign(rest.begin(), rest.end());
  return out;
}

HeartbeatEvent ParseHeartbeatEvent(const BinlogEvent& event) {
  ExpectType(event, BinlogEventType::kHeartbeat, "HEARTBEAT");
  BinlogByteReader reader(event.body);
  return HeartbeatEvent{std::string(reader.Text(reader.remaining())), event.log_position};
}

}  // namespace futureim::source

#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace futureim::source {

// MySQL 8's binary JSON (the storage and binlog format of JSON columns,
// sql-common/json_binary.cc) converted to JSON text as MySQL prints it:
// `{"a": [1, 2.5, "x"], "b": null}` (members in storage order, which MySQL
// sorts by key length then bytes). Opaque values: DECIMAL as a number,
// DATE/TIME/DATETIME/TIMESTAMP as quoted strings, anything else as
// "base64:typeN:...". An empty value is JSON null. Throws BinlogFormatError
// for malformed input. (MariaDB stores JSON as text and never needs this.)
std::string MysqlBinaryJsonToText(std::span<const uint8_t> value);

}  // namespace futureim::source

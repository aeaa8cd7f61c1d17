#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace futureim::source {

// Malformed or truncated binlog data (or a feature this decoder does not
// handle): the event cannot be decoded. Not retryable by reconnecting.
class BinlogFormatError : public core::Error {
 public:
  using core::Error::Error;
};

// A bounds-checked cursor over an event body. Binlog integers are
// little-endian unless a method says otherwise (the packed temporal and
// decimal formats are big-endian). Every read past the end throws
// BinlogFormatError instead of reading out of bounds, since the bytes come
// from the network.
class BinlogByteReader {
 public:
  explicit BinlogByteReader(std::span<const uint8_t> data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool empty() const { return remaining() == 0; }

  std::span<const uint8_t> Bytes(size_t n) {
    Need(n);
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  std::string_view Text(size_t n) {
    auto bytes = Bytes(n);
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
  std::span<const uint8_t> Rest() { return Bytes(remaining()); }
  void Skip(size_t n) { Bytes(n); }

  // Unsigned little-endian integer of `n` bytes (1..8).
  uint64_t UintLe(size_t n) {
    auto bytes = Bytes(n);
    uint64_t value = 0;
    for (size_t i = 0; i < n; ++i) value |= static_cast<uint64_t>(bytes[i]) << (8 * i);
    return value;
  }
  // Unsigned big-endian integer of `n` bytes (1..8).
  uint64_t UintBe(size_t n) {
    auto bytes = Bytes(n);
    uint64_t value = 0;
    for (size_t i = 0; i < n; ++i) value = (value << 8) | bytes[i];
    return value;
  }
  uint8_t U8() { return static_cast<uint8_t>(UintLe(1)); }
  uint16_t U16() { return static_cast<uint16_t>(UintLe(2)); }
  uint32_t U32() { return static_cast<uint32_t>(UintLe(4)); }
  uint64_t U64() { return UintLe(8); }

  // The protocol's length-encoded ("packed") integer: < 251 in one byte,
  // 0xFC + 2 bytes, 0xFD + 3 bytes, 0xFE + 8 bytes.
  uint64_t PackedInt() {
    const uint8_t first = U8();
    if (first < 251) return first;
    if (first == 0xFC) return UintLe(2);
    if (first == 0xFD) return UintLe(3);
    if (first == 0xFE) return UintLe(8);
    throw BinlogFormatError("binlog event has an invalid length-encoded integer");
  }

 private:
  void Need(size_t n) const {
    if (n > remaining()) {
      throw BinlogFormatError("binlog event is truncated (needed " + std::to_string(n) +
                              " bytes, " + std::to_string(remaining()) + " left)");
    }
  }

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace futureim::source

#pragma once

// Plain value types exchanged with DuckDB (bound parameters, appended values,
// values read from result chunks), and ValueRef, the closed set of values that
// Bind and Append accept. Each struct has the exact memory layout of DuckDB's
// in-vector representation so chunk reads are a memcpy.

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace futureim::engine {

// DuckDB's HUGEINT / UHUGEINT. __extension__ keeps -Wpedantic quiet about the
// non-ISO type; use these names rather than spelling __int128.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// SQL NULL, for Bind/Append. std::nullopt works too.
struct Null {
  bool operator==(const Null&) const = default;
};
inline constexpr Null kNull{};

// Raw bytes for a BLOB. Distinct from std::string_view, which binds VARCHAR
// (and DuckDB requires VARCHAR to be valid UTF-8; BLOB takes anything).
struct Blob {
  std::string_view bytes;
};

// Days since 1970-01-01 (proleptic Gregorian; negative before the epoch).
struct Date {
  int32_t days = 0;
  auto operator<=>(const Date&) const = default;
};

// Microseconds since midnight, 0 .. 86'400'000'000 (24:00:00 is valid).
struct Time {
  int64_t micros = 0;
  auto operator<=>(const Time&) const = default;
};

// Microseconds since 1970-01-01 00:00:00 (UTC for TIMESTAMPTZ); negative
// before the epoch.
struct Timestamp {
  int64_t micros = 0;
  auto operator<=>(const Timestamp&) const = default;
};

// The three parts are independent and may have different signs (a month is
// not a fixed number of days), as in DuckDB.
struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
  bool operator==(const Interval&) const = default;
};

// A DECIMAL(width, scale) value: the number is value / 10^scale, exactly.
// width is 1..38 and scale <= width.
struct Decimal {
  uint8_t width = 18;
  uint8_t scale = 0;
  Int128 value = 0;
  bool operator==(const Decimal&) const = default;
};

// Chunk reads copy vector memory straight into these types.
static_assert(std::endian::native == std::endian::little, "Int128 layout assumes little endian");
static_assert(sizeof(Date) == 4 && sizeof(Time) == 8 && sizeof(Timestamp) == 8);
static_assert(sizeof(Interval) == 16 && sizeof(Int128) == 16);

// The closed set of values Bind and Append accept. Non-owning: strings and
// blobs must outlive the call they are passed to (DuckDB copies them).
using ValueRef = std::variant<Null, bool, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t,
                              uint32_t, uint64_t, Int128, UInt128, float, double, std::string_view,
                              Blob, Date, Time, Timestamp, Interval, Decimal>;

namespace detail {
template <typename T>
inline constexpr bool kAlwaysFalse = false;

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
constexpr bool IsCharacter() {
  return std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> ||
         std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;
}
}  // namespace detail

// Maps any supported C++ value to a ValueRef. Every standard integer type
// maps by size and signedness (so `long long` and `long` both work);
// std::optional maps an empty optional to NULL. Anything else is a compile
// error rather than a silent conversion (notably `const char*` never becomes
// bool).
template <typename T>
ValueRef ToValueRef(const T& value) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, Null> || std::is_same_v<U, std::nullopt_t>) {
    return Null{};
  } else if constexpr (detail::IsOptional<U>::value) {
    if (!value.has_value()) return Null{};
    return ToValueRef(*value);
  } else if constexpr (std::is_same_v<U, bool>) {
    return value;
  } else if constexpr (std::is_same_v<U, Int128> || std::is_same_v<U, UInt128>) {
    return value;
  } else if constexpr (std::is_integral_v<U>) {
    static_assert(!detail::IsCharacter<U>(),
                  "bind a character as std::string_view or as an explicit integer type");
    if constexpr (std::is_signed_v<U>) {
      if constexpr (sizeof(U) == 1) return static_cast<int8_t>(value);
      if constexpr (sizeof(U) == 2) return static_cast<int16_t>(value);
      if constexpr (sizeof(U) == 4) return static_cast<int32_t>(value);
      if constexpr (sizeof(U) == 8) return static_cast<int64_t>(value);
    } else {
      if constexpr (sizeof(U) == 1) return static_cast<uint8_t>(value);
      if constexpr (sizeof(U) == 2) return static_cast<uint16_t>(value);
      if constexpr (sizeof(U) == 4) return static_cast<uint32_t>(value);
      if constexpr (sizeof(U) == 8) return static_cast<uint64_t>(value);
    }
  } else if constexpr (std::is_same_v<U, float> || std::is_same_v<U, double>) {
    return value;
  } else if constexpr (std::is_convertible_v<const U&, std::string_view>) {
    return std::string_view(value);
  } else if constexpr (std::is_same_v<U, Blob> || std::is_same_v<U, Date> ||
                       std::is_same_v<U, Time> || std::is_same_v<U, Timestamp> ||
                       std::is_same_v<U, Interval> || std::is_same_v<U, Decimal>) {
    return value;
  } else if constexpr (std::is_same_v<U, ValueRef>) {
    return value;
  } else {
    static_assert(detail::kAlwaysFalse<U>, "type cannot be bound or appended to DuckDB");
  }
}

}  // namespace futureim::engine

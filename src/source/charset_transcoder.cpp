#include "source/charset_transcoder.h"

#include <array>
#include <cerrno>
#include <utility>

#include <iconv.h>

#include "core/error.h"
#include "core/utf8.h"
#include "source/server_collations.h"

namespace futureim::source {
namespace {

// MySQL's latin1 is Windows-1252, except that the five bytes cp1252 leaves
// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls of the
// same value, so every byte has a character (strings/ctype-latin1.c).
constexpr std::array<char16_t, 32> kLatin1High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void AppendUtf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else if (byte < 0xA0) {
      AppendUtf8(out, kLatin1High[byte - 0x80]);
    } else {
      AppendUtf8(out, byte);
    }
  }
  return out;
}

// The offset of the first byte that is not valid in `charset` (ascii or one
// of the UTF-8 charsets), or npos.
size_t FirstInvalidByte(std::string_view text, bool ascii_only) {
  if (!ascii_only) return core::FirstInvalidUtf8(text);
  for (size_t i = 0; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) return i;
  }
  return std::string_view::npos;
}

// glibc iconv's name for a MySQL charset; empty when there is none.
std::string IconvName(const std::string& charset) {
  static const std::unordered_map<std::string, std::string> kNames = {
      {"cp1250", "CP1250"},
      {"cp1251", "CP1251"},
      {"cp1256", "CP1256"},
      {"cp1257", "CP1257"},
      {"cp850", "CP850"},
      {"cp852", "CP852"},
      {"cp866", "CP866"},
      {"latin2", "ISO-8859-2"},
      {"latin5", "ISO-8859-9"},
      {"latin7", "ISO-8859-13"},
      {"greek", "ISO-8859-7"},
      {"hebrew", "ISO-8859-8"},
      {"koi8r", "KOI8-R"},
      {"koi8u", "KOI8-U"},
      {"ucs2", "UCS-2BE"},
      {"utf16", "UTF-16BE"},
      {"utf16le", "UTF-16LE"},
      {"utf32", "UTF-32BE"},
      {"gbk", "GBK"},
      {"big5", "BIG5"},
      {"sjis", "SHIFT_JIS"},
      {"ujis", "EUC-JP"},
      {"euckr", "EUC-KR"},
      {"gb2312", "GB2312"},
      {"cp932", "CP932"},
      {"eucjpms", "EUC-JP-MS"},
      {"tis620", "TIS-620"},
      {"armscii8", "ARMSCII-8"},
      {"geostd8", "GEORGIAN-PS"},
      {"macce", "MACCENTRALEUROPE"},
      {"macroman", "MACINTOSH"},
      {"hp8", "HP-ROMAN8"},
      {"dec8", "DEC-MCS"},
  };
  const auto it = kNames.find(charset);
  return it == kNames.end() ? std::string() : it->second;
}

std::string Describe(uint32_t collation_id, const std::string& charset) {
  return "collation " + std::to_string(collation_id) + " (charset " + charset + ")";
}

}  // namespace

// One open iconv converter from a charset to UTF-8.
class CharsetTranscoder::IconvConverter {
 public:
  explicit IconvConverter(iconv_t handle) : handle_(handle) {}
  IconvConverter(const IconvConverter&) = delete;
  IconvConverter& operator=(const IconvConverter&) = delete;
  ~IconvConverter() { iconv_close(handle_); }

  // Converts all of `bytes`; on invalid or truncated input returns false
  // with the offset of the offending byte in `error_offset`.
  bool Convert(std::string_view bytes, std::string& out, size_t& error_offset) {
    iconv(handle_, nullptr, nullptr, nullptr, nullptr);  // initial shift state
    out.assign(bytes.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());  // iconv's signature; it does not write
    size_t in_left = bytes.size();
    size_t written = 0;
    while (in_left > 0) {
      char* dest = out.data() + written;
      size_t out_left = out.size() - written;
      const size_t result = iconv(handle_, &in, &in_left, &dest, &out_left);
      written = out.size() - out_left;
      if (result != static_cast<size_t>(-1)) continue;
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      error_offset = bytes.size() - in_left;
      return false;
    }
    out.resize(written);
    return true;
  }

 private:
  iconv_t handle_;
};

CharsetTranscoder CharsetTranscoder::FromServer(MysqlConnection& connection) {
  std::unordered_map<uint32_t, std::string> charset_by_collation;
  for (auto& collation : ReadServerCollations(connection)) {
    charset_by_collation.emplace(collation.id, std::move(collation.charset));
  }
  return CharsetTranscoder(std::move(charset_by_collation));
}

CharsetTranscoder::CharsetTranscoder(std::unordered_map<uint32_t, std::string> charset_by_collation)
    : charset_by_collation_(std::move(charset_by_collation)) {}

CharsetTranscoder::CharsetTranscoder(CharsetTranscoder&&) noexcept = default;
CharsetTranscoder& CharsetTranscoder::operator=(CharsetTranscoder&&) noexcept = default;
CharsetTranscoder::~CharsetTranscoder() = default;

const std::string& CharsetTranscoder::CharsetOf(uint32_t collation_id) const {
  const auto it = charset_by_collation_.find(collation_id);
  if (it == charset_by_collation_.end()) {
    throw core::Error("collation " + std::to_string(collation_id) +
                      " is unknown to the source server's collation table");
  }
  return it->second;
}

bool CharsetTranscoder::IsText(uint32_t collation_id) const {
  return CharsetOf(collation_id) != "binary";
}

std::string CharsetTranscoder::ToUtf8(std::string_view bytes, uint32_t collation_id) const {
  const std::string& charset = CharsetOf(collation_id);
  if (charset == "latin1") return Latin1ToUtf8(bytes);
  if (charset == "utf8mb4" || charset == "utf8mb3" || charset == "utf8" || charset == "ascii") {
    const size_t bad = FirstInvalidByte(bytes, charset == "ascii");
    if (bad != std::string_view::npos) {
      throw core::Error("invalid " + charset + " text at byte " + std::to_string(bad) + " in " +
                        Describe(collation_id, charset));
    }
    return std::string(bytes);
  }
  auto& converter = converters_[charset];
  if (converter == nullptr) {
    const std::string name = IconvName(charset);
    const iconv_t handle =
        name.empty() ? reinterpret_cast<iconv_t>(-1) : iconv_open("UTF-8", name.c_str());
    if (handle == reinterpret_cast<iconv_t>(-1)) {
      converters_.erase(charset);
      throw core::Error("cannot convert " + Describe(collation_id, charset) +
                        " to UTF-8: no converter for this charset");
    }
    converter = std::make_unique<IconvConverter>(handle);
  }
  std::string out;
  size_t error_offset = 0;
  if (!converter->Convert(bytes, out, error_offset)) {
    throw core::Error("invalid " + charset + " text at byte " + std::to_string(error_offset) +
                      " in " + Describe(collation_id, charset));
  }
  return out;
}

}  // namespace futureim::source

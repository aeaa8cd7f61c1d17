// CharsetTranscoder against the server's own conversion: the stored bytes of
// latin1, cp1251 and CJK columns, transcoded here, equal what the server's
// CONVERT(col USING utf8mb4) gives.

#include "source/charset_transcoder.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "source/mysql_connection.h"
#include "support/mariadb_suite.h"

namespace futureim {
namespace {

using source::CharsetTranscoder;
using source::MysqlConnection;

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::string HexLiteral(const std::string& bytes) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out = "x'";
  for (const unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out + "'";
}

class CharsetTranscoderServerTest : public testing::PrivateMariadbSuite {};

TEST_F(CharsetTranscoderServerTest, AgreesWithTheServersConvert) {
  auto store = MysqlConnection::Connect(Server().StoreUser());
  store.Execute(
      "CREATE TABLE texts (id INT PRIMARY KEY, charset VARCHAR(10), "
      "l1 TEXT CHARACTER SET latin1, cy TEXT CHARACTER SET cp1251, "
      "gb TEXT CHARACTER SET gbk, b5 TEXT CHARACTER SET big5, sj TEXT CHARACTER SET cp932, "
      "uj TEXT CHARACTER SET ujis, kr TEXT CHARACTER SET euckr)");
  // Every byte for the single-byte charsets (cp1251 leaves 0x98 undefined:
  // the server turns it into '?', which is not a conversion to compare).
  std::string every_byte;
  std::string cp1251_bytes;
  for (int b = 1; b < 256; ++b) {
    every_byte += static_cast<char>(b);
    if (b != 0x98) cp1251_bytes += static_cast<char>(b);
  }
  store.Execute("INSERT INTO texts (id, l1, cy) VALUES (1, " + HexLiteral(every_byte) + ", " +
                HexLiteral(cp1251_bytes) + ")");
  const std::string cjk = "中文字符測試 日本語テキスト ①② ·";
  store.Execute(
      "INSERT INTO texts VALUES (2, '', 'Grüße €', 'Привет, мир', CONVERT('" + cjk +
      "' USING gbk), CONVERT('中文繁體字' USING big5), CONVERT('日本語テキスト①' USING "
      "cp932), CONVERT('日本語テキスト' USING ujis), CONVERT('한국어 텍스트' USING euckr))");

  const auto transcoder = CharsetTranscoder::FromServer(store);
  const std::vector<std::string> columns = {"l1", "cy", "gb", "b5", "sj", "uj", "kr"};
  int compared = 0;
  for (const auto& column : columns) {
    const auto collation = store.QueryScalar(
        "SELECT ID FROM information_schema.COLLATIONS c JOIN information_schema.COLUMNS k ON "
        "k.COLLATION_NAME = c.COLLATION_NAME WHERE k.TABLE_SCHEMA = 'ecommerce' AND "
        "k.TABLE_NAME = 'texts' AND k.COLUMN_NAME = '" +
        column + "'");
    ASSERT_TRUE(collation.has_value()) << column;
    for (const auto& row : store.Query("SELECT HEX(" + column + "), CONVERT(" + column +
                                       " USING utf8mb4) FROM texts ORDER BY id")) {
      if (!row[0]) continue;
      const std::string stored = Unhex(*row[0]);
      EXPECT_EQ(transcoder.ToUtf8(stored, static_cast<uint32_t>(std::stoul(*collation))),
                row[1].value())
          << column << " bytes " << *row[0];
      ++compared;
    }
  }
  EXPECT_EQ(compared, 9);  // row 1 has only the single-byte columns
}

}  // namespace
}  // namespace futureim

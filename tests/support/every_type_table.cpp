#include "support/every_type_table.h"

namespace futureim::testing {

const std::vector<TypedColumn>& EveryTypeColumns() {
  static const std::vector<TypedColumn> columns = {
      {"id", "INT NOT NULL PRIMARY KEY", nullptr},
      {"ti", "TINYINT", nullptr},
      {"tiu", "TINYINT UNSIGNED", nullptr},
      {"si", "SMALLINT", nullptr},
      {"siu", "SMALLINT UNSIGNED", nullptr},
      {"mi", "MEDIUMINT", nullptr},
      {"miu", "MEDIUMINT UNSIGNED", nullptr},
      {"i", "INT", nullptr},
      {"iu", "INT UNSIGNED", nullptr},
      // YEAR between the integers: if it took a signedness bit, the unsigned
      // flags of the columns after it would shift and BIGINT UNSIGNED fail.
      {"yr", "YEAR", nullptr},
      {"bi", "BIGINT", nullptr},
      {"biu", "BIGINT UNSIGNED", nullptr},
      {"dec_small", "DECIMAL(10,2)", nullptr},
      {"dec_wide", "DECIMAL(65,30)", nullptr},
      {"dec_int", "DECIMAL(18,0)", nullptr},
      {"f", "FLOAT", nullptr},
      {"d", "DOUBLE", nullptr},
      {"b1", "BIT(1)", "CAST(b1 AS UNSIGNED)"},
      {"b10", "BIT(10)", "CAST(b10 AS UNSIGNED)"},
      {"b64", "BIT(64)", "CAST(b64 AS UNSIGNED)"},
      {"dt", "DATE", nullptr},
      {"tm0", "TIME", nullptr},
      {"tm1", "TIME(1)", nullptr},
      {"tm3", "TIME(3)", nullptr},
      {"tm6", "TIME(6)", nullptr},
      {"dtm0", "DATETIME", nullptr},
      {"dtm3", "DATETIME(3)", nullptr},
      {"dtm6", "DATETIME(6)", nullptr},
      {"ts0", "TIMESTAMP NULL DEFAULT NULL", nullptr},
      {"ts6", "TIMESTAMP(6) NULL DEFAULT NULL", nullptr},
      {"c", "CHAR(10) CHARACTER SET utf8mb4", "HEX(c)"},
      {"c255", "CHAR(255) CHARACTER SET utf8mb4", "HEX(c255)"},
      {"c_l1", "CHAR(10) CHARACTER SET latin1", "HEX(c_l1)"},
      {"vc", "VARCHAR(300) CHARACTER SET utf8mb4", "HEX(vc)"},
      {"vc_l1", "VARCHAR(20) CHARACTER SET latin1", "HEX(vc_l1)"},
      {"ttxt", "TINYTEXT", "HEX(ttxt)"},
      {"txt", "TEXT", "HEX(txt)"},
      {"mtxt", "MEDIUMTEXT", "HEX(mtxt)"},
      {"ltxt", "LONGTEXT", "HEX(ltxt)"},
      {"bin", "BINARY(4)", "HEX(bin)"},
      {"vbin", "VARBINARY(10)", "HEX(vbin)"},
      {"tblob", "TINYBLOB", "HEX(tblob)"},
      {"bl", "BLOB", "HEX(bl)"},
      {"mbl", "MEDIUMBLOB", "HEX(mbl)"},
      {"lbl", "LONGBLOB", "HEX(lbl)"},
      {"e", "ENUM('small','medium','large')", nullptr},
      {"s", "SET('red','green','blue')", nullptr},
      {"j", "JSON", "HEX(j)"},
  };
  return columns;
}

std::string CreateEveryTypeTable(const std::string& table) {
  std::string create = "CREATE TABLE " + table + " (";
  const auto& columns = EveryTypeColumns();
  for (size_t i = 0; i < columns.size(); ++i) {
    create += (i ? ", " : "") + std::string(columns[i].name) + " " + columns[i].definition;
  }
  return create + ") DEFAULT CHARSET=utf8mb4";
}

std::vector<std::string> InsertEveryTypeEdgeRows(const std::string& table) {
  const std::string nines35(35, '9');
  const std::string nines30(30, '9');
  const std::string insert = "INSERT INTO " + table;
  return {
      insert +
          " VALUES (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, 1901, "
          "-9223372036854775808, 0, -99999999.99, -" +
          nines35 + "." + nines30 +
          ", -999999999999999999, -1.5, -1.7976931348623157e308, b'0', b'0', b'0', "
          "'1000-01-01', '-838:59:59', '-00:00:01.5', '-00:00:00.001', '-838:59:59.000000', "
          "'1000-01-01 00:00:00', '1000-01-01 00:00:00.001', '1000-01-01 00:00:00.000001', "
          "'1970-01-01 00:00:01', '1970-01-01 00:00:01.000001', '', '', '', '', '', '', '', '', "
          "'', x'00', '', '', '', '', '', 'small', '', '{}')",
      insert +
          " VALUES (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, "
          "4294967295, 2155, 9223372036854775807, 18446744073709551615, 99999999.99, " +
          nines35 + "." + nines30 +
          ", 999999999999999999, 3.25, 1.7976931348623157e308, b'1', b'1111111111', "
          "x'FFFFFFFFFFFFFFFF', '9999-12-31', '838:59:59', '838:59:59.9', '838:59:59.999', "
          "'838:59:59.999999', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999', "
          "'9999-12-31 23:59:59.999999', '2038-01-19 03:14:07', '2038-01-19 03:14:07.999999', "
          "'😀é', REPEAT('😀', 255), CONVERT('café' USING latin1), 'a 😀 𝄞 b', "
          "CONVERT('naïve €' USING latin1), 'tiny 😀', REPEAT('text ', 100), REPEAT('m😀', 1000), "
          "REPEAT('long ', 20000), x'01020304', x'00FF00', x'00', x'DEADBEEF00', "
          "REPEAT(x'AB', 70000), REPEAT(x'00FF', 40000), 'large', 'red,blue', "
          "'{\"a\": [1, 2.5, \"😀\"], \"b\": null}')",
      insert + " (id) VALUES (3)",
      insert +
          " (id, mi, dec_small, dec_wide, f, d, b10, dt, tm1, tm6, dtm0, dtm6, ts0, ts6, yr, "
          "c, c_l1, bin, e, s) VALUES (4, -1, -0.01, -0.000000000000000000000000000001, "
          "0.5, 0.1, 682, '0000-00-00', '-00:00:00.5', '-00:00:01.500000', "
          "'0000-00-00 00:00:00', '2024-02-29 12:34:56.789012', '0000-00-00 00:00:00', "
          "'2024-02-29 12:34:56.5', 0, 'ab  ', 'x', x'0100', 'medium', 'green,red')",
  };
}

}  // namespace futureim::testing

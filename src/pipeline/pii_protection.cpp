#include "pipeline/pii_protection.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include "core/error.h"
#include "core/hmac_sha256.h"
#include "engine/sql_text.h"

namespace futureim::pipeline {

using engine::QuoteIdentifier;

namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Names of card verification values in the wild (PCI DSS forbids storing
// them after authorisation, so they are dropped whatever they hold).
bool IsCvvName(const std::string& name) {
  static constexpr std::array<std::string_view, 10> kNames = {"cvv",
                                                              "cvc",
                                                              "cvv2",
                                                              "cvc2",
                                                              "cid",
                                                              "csc",
                                                              "security_code",
                                                              "card_security_code",
                                                              "card_verification_value",
                                                              "card_verification_code"};
  if (std::find(kNames.begin(), kNames.end(), name) != kNames.end()) return true;
  return Contains(name, "cvv") || Contains(name, "cvc") || Contains(name, "security_code");
}

bool IsCardNumberName(const std::string& name) {
  if (Contains(name, "last_four") || Contains(name, "last4")) return false;
  static constexpr std::array<std::string_view, 8> kNames = {
      "pan",       "card_number", "cardnumber",  "card_no",
      "cc_number", "ccnum",       "credit_card", "credit_card_number"};
  if (std::find(kNames.begin(), kNames.end(), name) != kNames.end()) return true;
  return Contains(name, "card_number") || Contains(name, "card_num");
}

}  // namespace

ColumnTreatment ClassifyColumn(std::string_view raw_name, bool is_text, bool is_key) {
  const std::string name = Lower(raw_name);
  // Sensitive names win over "key": a CVV or card number is never kept, even
  // if someone made it a key.
  if (IsCvvName(name)) return ColumnTreatment::kDrop;
  if (IsCardNumberName(name)) return ColumnTreatment::kCardNumber;
  if (is_key) return ColumnTreatment::kKeep;
  if (Contains(name, "email") || Contains(name, "e_mail")) return ColumnTreatment::kEmail;
  if (Contains(name, "phone") || Contains(name, "mobile") || name == "fax") {
    return ColumnTreatment::kPhone;
  }
  return is_text ? ColumnTreatment::kFreeText : ColumnTreatment::kKeep;
}

std::string NormaliseEmail(std::string_view email) {
  size_t begin = 0, end = email.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(email[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(email[end - 1]))) --end;
  return Lower(email.substr(begin, end - begin));
}

std::string NormalisePhone(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits;
}

std::string PiiToken(std::string_view pii_key, std::string_view value) {
  const std::string mac = core::HmacSha256(pii_key, value);
  const auto* digest = reinterpret_cast<const unsigned char*>(mac.data());
  const size_t length = mac.size();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token(kTokenPrefix);
  // 128 bits: collisions among a store's emails are out of reach.
  for (size_t i = 0; i < 16 && i < length; ++i) {
    token += kHex[digest[i] >> 4];
    token += kHex[digest[i] & 0xF];
  }
  return token;
}

bool PassesLuhn(std::string_view digits) {
  int sum = 0;
  bool doubled = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int digit = *it - '0';
    if (doubled) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    doubled = !doubled;
  }
  return !digits.empty() && sum % 10 == 0;
}

std::string RedactCardNumbers(std::string_view text) {
  std::string out(text);
  size_t i = 0;
  while (i < out.size()) {
    if (!std::isdigit(static_cast<unsigned char>(out[i])) ||
        (i > 0 && std::isalnum(static_cast<unsigned char>(out[i - 1])))) {
      ++i;
      continue;
    }
    // A run of digits, each group separated by at most one space or dash.
    std::string digits;
    std::vector<size_t> positions;
    size_t j = i;
    while (j < out.size()) {
      const char c = out[j];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        digits += c;
        positions.push_back(j);
        ++j;
      } else if ((c == ' ' || c == '-') && j + 1 < out.size() &&
                 std::isdigit(static_cast<unsigned char>(out[j + 1])) && !digits.empty()) {
        ++j;
      } else {
        break;
      }
    }
    const bool bounded = j >= out.size() || !std::isalnum(static_cast<unsigned char>(out[j]));
    if (bounded && digits.size() >= 13 && digits.size() <= 19 && PassesLuhn(digits)) {
      for (size_t k = 0; k + 4 < positions.size(); ++k) out[positions[k]] = '*';
    }
    i = j;
  }
  return out;
}

namespace {

// ---------------------------------------------------------------------------
// DuckDB scalar functions through the C API. DuckDB calls them on several
// threads at once: they only read the key, which lives as long as the
// function (extra info owned by DuckDB, freed with it).

struct TokenKey {
  std::string key;
};

template <typename Transform>
void ForEachString(duckdb_data_chunk input, duckdb_vector output, Transform&& transform) {
  const idx_t rows = duckdb_data_chunk_get_size(input);
  duckdb_vector in = duckdb_data_chunk_get_vector(input, 0);
  auto* values = static_cast<duckdb_string_t*>(duckdb_vector_get_data(in));
  uint64_t* validity = duckdb_vector_get_validity(in);
  for (idx_t row = 0; row < rows; ++row) {
    if (validity != nullptr && !duckdb_validity_row_is_valid(validity, row)) {
      duckdb_vector_ensure_validity_writable(output);
      duckdb_validity_set_row_invalid(duckdb_vector_get_validity(output), row);
      continue;
    }
    duckdb_string_t* value = &values[row];
    const std::string_view text(duckdb_string_t_data(value), duckdb_string_t_length(*value));
    const std::string result = transform(text);
    duckdb_vector_assign_string_element_len(output, row, result.data(), result.size());
  }
}

void TokenFunction(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  const auto* key = static_cast<const TokenKey*>(duckdb_scalar_function_get_extra_info(info));
  try {
    ForEachString(input, output,
                  [key](std::string_view value) { return PiiToken(key->key, value); });
  } catch (const std::exception& e) {
    duckdb_scalar_function_set_error(info, e.what());
  }
}

void RedactFunction(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  try {
    ForEachString(input, output, [](std::string_view value) { return RedactCardNumbers(value); });
  } catch (const std::exception& e) {
    duckdb_scalar_function_set_error(info, e.what());
  }
}

void Register(engine::Connection& connection, std::string_view name,
              duckdb_scalar_function_t callback, TokenKey* extra) {
  duckdb_scalar_function function = duckdb_create_scalar_function();
  const std::string name_text(name);
  duckdb_scalar_function_set_name(function, name_text.c_str());
  duckdb_logical_type varchar = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
  duckdb_scalar_function_add_parameter(function, varchar);
  duckdb_scalar_function_set_return_type(function, varchar);
  duckdb_destroy_logical_type(&varchar);
  if (extra != nullptr) {
    duckdb_scalar_function_set_extra_info(function, extra,
                                          [](void* data) { delete static_cast<TokenKey*>(data); });
  }
  duckdb_scalar_function_set_function(function, callback);
  const duckdb_state state = duckdb_register_scalar_function(connection.Handle(), function);
  duckdb_destroy_scalar_function(&function);
  if (state != DuckDBSuccess) {
    throw core::Error("cannot register the DuckDB function " + name_text);
  }
}

std::string TextOf(const std::string& column) { return "CAST(" + column + " AS VARCHAR)"; }

}  // namespace

void RegisterPiiFunctions(engine::Connection& connection, std::string_view pii_key) {
  if (pii_key.empty()) throw core::Error("the PII key (secret lake.pii_key) is empty");
  Register(connection, kTokenFunction, TokenFunction, new TokenKey{std::string(pii_key)});
  Register(connection, kRedactCardNumbersFunction, RedactFunction, nullptr);
}

std::vector<std::string> ProtectedColumnNames(const std::vector<SourceColumn>& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns) {
    switch (ClassifyColumn(column.name, column.type == "VARCHAR", column.is_key)) {
      case ColumnTreatment::kDrop:
        break;
      case ColumnTreatment::kEmail:
      case ColumnTreatment::kPhone:
        names.push_back(column.name + "_token");
        names.push_back(column.name + "_masked");
        break;
      default:
        names.push_back(column.name);
    }
  }
  return names;
}

std::string ProtectedSelectList(const std::vector<SourceColumn>& columns) {
  std::string list;
  const auto add = [&list](const std::string& expression, const std::string& name) {
    if (!list.empty()) list += ", ";
    list += expression + " AS " + QuoteIdentifier(name);
  };
  const std::string token(kTokenFunction);
  for (const auto& column : columns) {
    const std::string c = QuoteIdentifier(column.name);
    switch (ClassifyColumn(column.name, column.type == "VARCHAR", column.is_key)) {
      case ColumnTreatment::kKeep:
        add(c, column.name);
        break;
      case ColumnTreatment::kFreeText:
        add(std::string(kRedactCardNumbersFunction) + "(" + c + ")", column.name);
        break;
      case ColumnTreatment::kDrop:
        break;
      case ColumnTreatment::kEmail: {
        // Same normalisation as NormaliseEmail.
        const std::string text = "lower(trim(" + TextOf(c) + "))";
        add(token + "(" + text + ")", column.name + "_token");
        // j***@example.com: the first character and the domain; a value
        // without a proper local part shows nothing.
        add("CASE WHEN " + c + " IS NULL THEN NULL WHEN strpos(" + text + ", '@') > 1 THEN left(" +
                text + ", 1) || '***' || substr(" + text + ", strpos(" + text +
                ", '@')) ELSE '***' END",
            column.name + "_masked");
        break;
      }
      case ColumnTreatment::kPhone: {
        const std::string digits = "regexp_replace(" + TextOf(c) + ", '[^0-9]', '', 'g')";
        add(token + "(NULLIF(" + digits + ", ''))", column.name + "_token");
        add("CASE WHEN " + c + " IS NULL THEN NULL WHEN length(" + digits +
                ") >= 7 THEN '***-***-' || right(" + digits + ", 4) ELSE '***-***-****' END",
            column.name + "_masked");
        break;
      }
      case ColumnTreatment::kCardNumber:
        add("NULLIF(right(regexp_replace(" + TextOf(c) + ", '[^0-9]', '', 'g'), 4), '')",
            column.name);
        break;
    }
  }
  return list;
}

}  // namespace futureim::pipeline

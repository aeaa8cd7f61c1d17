#pragma once

// Field-level protection applied before data lands in curated/ (SPEC.md §3):
// emails and phone numbers become keyed-hash tokens plus a masked display
// form, card numbers never keep more than their last four digits, CVV-like
// columns are dropped, and card numbers found inside free text are blanked.
//
// Invariant: the same input under the same key always gives the same token
// (HMAC-SHA256 of the normalised value), so tokens join across tables and
// runs; without the key a token reveals nothing about its input.

#include <string>
#include <string_view>
#include <vector>

#include "engine/duckdb.h"

namespace futureim::pipeline {

// What curation does with one source column, decided by its name.
enum class ColumnTreatment {
  kKeep,        // copied as is (numbers, dates, identifiers)
  kFreeText,    // text: card numbers inside it are blanked
  kEmail,       // → <name>_token, <name>_masked
  kPhone,       // → <name>_token, <name>_masked
  kCardNumber,  // → its last four digits, same name
  kDrop,        // CVV-like: never stored
};

// `is_text`: the column is VARCHAR. `is_key`: the column is part of the
// primary key or a foreign key (identifiers are kept byte for byte).
ColumnTreatment ClassifyColumn(std::string_view name, bool is_text, bool is_key);

// The SQL names the function registered by RegisterPiiFunctions.
inline constexpr std::string_view kTokenFunction = "futureim_pii_token";
inline constexpr std::string_view kRedactCardNumbersFunction = "futureim_redact_card_numbers";
// Prefix of every token, so a token is recognisable as one.
inline constexpr std::string_view kTokenPrefix = "tok_";

// Registers on `connection`'s database:
//   futureim_pii_token(VARCHAR) → VARCHAR: "tok_" + the first 32 hex digits of
//     HMAC-SHA256(pii_key, value); NULL stays NULL.
//   futureim_redact_card_numbers(VARCHAR) → VARCHAR: every run of 13–19
//     digits (optionally split by single spaces or dashes) that passes the
//     Luhn check is replaced by '*'s and its last four digits.
// `pii_key` is the secret lake.pii_key (any non-empty string); it is copied
// into the function and never logged.
void RegisterPiiFunctions(engine::Connection& connection, std::string_view pii_key);

// The token a value gets (same as futureim_pii_token), for tests and callers
// that protect a single value (e.g. an API lookup by email).
std::string PiiToken(std::string_view pii_key, std::string_view normalised_value);

// Normalisation before hashing: emails are trimmed and lower-cased, phones
// keep their digits only, so formatting differences give the same token.
std::string NormaliseEmail(std::string_view email);
std::string NormalisePhone(std::string_view phone);

// `text` with every Luhn-valid 13–19 digit card number masked (see above).
std::string RedactCardNumbers(std::string_view text);
bool PassesLuhn(std::string_view digits);

// One source column as curation sees it.
struct SourceColumn {
  std::string name;
  std::string type;  // DuckDB type, e.g. "VARCHAR"
  bool is_key = false;
};

// The SELECT list that turns raw columns into protected columns, in source
// order (tokens and masks replace the column in place; dropped columns are
// absent). Uses the functions of RegisterPiiFunctions.
std::string ProtectedSelectList(const std::vector<SourceColumn>& columns);
// The names the protected select list produces, in order.
std::vector<std::string> ProtectedColumnNames(const std::vector<SourceColumn>& columns);

}  // namespace futureim::pipeline

#include "source/mysql_grants.h"

#include <algorithm>
#include <cctype>

#include "source/table_filter.h"

namespace futureim::source {
namespace {

struct Token {
  enum class Kind { kWord, kIdentifier, kString, kPunctuation };
  Kind kind;
  std::string text;  // unquoted for identifiers and strings

  bool IsPunctuation(char c) const { return kind == Kind::kPunctuation && text[0] == c; }
  // An unquoted keyword, compared case-insensitively.
  bool IsKeyword(std::string_view keyword) const {
    if (kind != Kind::kWord || text.size() != keyword.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(text[i])) != keyword[i]) return false;
    }
    return true;
  }
  // A name: a quoted identifier or a bare word (or '*', for ON *.*).
  bool IsName() const {
    return kind == Kind::kWord || kind == Kind::kIdentifier || IsPunctuation('*');
  }
};

bool IsWordChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

// Splits a statement into tokens. Returns nullopt for an unterminated quote.
std::optional<std::vector<Token>> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '`' || c == '"' || c == '\'') {
      // Identifiers (`x`, "x") double their quote to include it; strings
      // ('x') may also use a backslash escape.
      Token token{c == '\'' ? Token::Kind::kString : Token::Kind::kIdentifier, {}};
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == c) {
          if (i + 1 < text.size() && text[i + 1] == c) {
            token.text += c;
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (c == '\'' && text[i] == '\\' && i + 1 < text.size()) ++i;
        token.text += text[i++];
      }
      if (!closed) return std::nullopt;
      tokens.push_back(std::move(token));
    } else if (IsWordChar(c)) {
      const size_t start = i;
      while (i < text.size() && IsWordChar(text[i])) ++i;
      tokens.push_back({Token::Kind::kWord, std::string(text.substr(start, i - start))});
    } else {
      tokens.push_back({Token::Kind::kPunctuation, std::string(1, c)});
      ++i;
    }
  }
  return tokens;
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// The index of the first top-level keyword (outside parentheses) in
// [from, to), or `to` when absent.
size_t FindKeyword(const std::vector<Token>& tokens, size_t from, size_t to,
                   std::string_view keyword) {
  int depth = 0;
  for (size_t i = from; i < to; ++i) {
    if (tokens[i].IsPunctuation('(')) ++depth;
    if (tokens[i].IsPunctuation(')')) --depth;
    if (depth == 0 && tokens[i].IsKeyword(keyword)) return i;
  }
  return to;
}

// "SELECT, REPLICATION SLAVE, INSERT (`a`, `b`)" from tokens [from, to).
std::optional<std::vector<GrantedPrivilege>> ParsePrivileges(const std::vector<Token>& tokens,
                                                             size_t from, size_t to) {
  std::vector<GrantedPrivilege> privileges;
  GrantedPrivilege current;
  const auto finish = [&]() -> bool {
    if (current.name.empty()) return false;
    if (current.name == "ALL PRIVILEGES") current.name = "ALL";
    privileges.push_back(std::move(current));
    current = {};
    return true;
  };
  for (size_t i = from; i < to; ++i) {
    const Token& token = tokens[i];
    if (token.kind == Token::Kind::kWord) {
      if (!current.name.empty()) current.name += ' ';
      current.name += Upper(token.text);
    } else if (token.IsPunctuation('(')) {
      for (++i; i < to && !tokens[i].IsPunctuation(')'); ++i) {
        if (tokens[i].kind == Token::Kind::kWord || tokens[i].kind == Token::Kind::kIdentifier) {
          current.columns.push_back(tokens[i].text);
        }
      }
      if (i == to) return std::nullopt;
    } else if (token.IsPunctuation(',')) {
      if (!finish()) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (!finish()) return std::nullopt;
  return privileges;
}

bool Grants(const GrantStatement& statement, std::string_view privilege) {
  return std::ranges::any_of(statement.privileges, [privilege](const GrantedPrivilege& p) {
    return p.columns.empty() && (p.name == privilege || p.name == "ALL");
  });
}

}  // namespace

std::optional<GrantStatement> ParseGrantStatement(std::string_view line) {
  const auto tokens = Tokenize(line);
  if (!tokens || tokens->empty()) return std::nullopt;
  GrantStatement statement;
  if ((*tokens)[0].IsKeyword("REVOKE")) {
    statement.revoke = true;
  } else if (!(*tokens)[0].IsKeyword("GRANT")) {
    return std::nullopt;
  }
  const size_t end = FindKeyword(*tokens, 1, tokens->size(), statement.revoke ? "FROM" : "TO");
  if (end == tokens->size()) return std::nullopt;
  const size_t on = FindKeyword(*tokens, 1, end, "ON");

  if (on == end) {
    // GRANT `role1`, `role2`@`%` TO ... (MySQL roles have a host part).
    if (statement.revoke) return std::nullopt;
    bool expect_role = true;
    for (size_t i = 1; i < end; ++i) {
      const Token& token = (*tokens)[i];
      if (token.IsPunctuation(',')) {
        expect_role = true;
      } else if (token.IsPunctuation('@')) {
        ++i;  // skip the role's host
      } else if (expect_role &&
                 (token.kind == Token::Kind::kWord || token.kind == Token::Kind::kIdentifier)) {
        statement.roles.push_back(token.text);
        expect_role = false;
      } else {
        return std::nullopt;
      }
    }
    if (statement.roles.empty()) return std::nullopt;
    return statement;
  }

  auto privileges = ParsePrivileges(*tokens, 1, on);
  if (!privileges) return std::nullopt;
  statement.privileges = std::move(*privileges);

  size_t i = on + 1;
  if (i < end && (*tokens)[i].IsKeyword("TABLE")) {
    ++i;
  } else if (i < end && ((*tokens)[i].IsKeyword("PROCEDURE") ||
                         (*tokens)[i].IsKeyword("FUNCTION") || (*tokens)[i].IsKeyword("PACKAGE"))) {
    statement.level = GrantLevel::kRoutine;
    ++i;
    if (i < end && (*tokens)[i].IsKeyword("BODY")) ++i;
  }
  // ON *.*, ON `db`.*, ON `db`.`table`. Anything else (GRANT PROXY ON ''@'%',
  // or a table of the current database without its schema, which SHOW GRANTS
  // never prints) grants nothing on data.
  if (i + 3 != end || !(*tokens)[i].IsName() || !(*tokens)[i + 1].IsPunctuation('.') ||
      !(*tokens)[i + 2].IsName()) {
    return std::nullopt;
  }
  const Token& schema = (*tokens)[i];
  const Token& object = (*tokens)[i + 2];
  if (schema.IsPunctuation('*')) {
    if (!object.IsPunctuation('*') || statement.level == GrantLevel::kRoutine) return std::nullopt;
    statement.level = GrantLevel::kGlobal;
    return statement;
  }
  statement.schema = schema.text;
  if (object.IsPunctuation('*')) {
    if (statement.level == GrantLevel::kRoutine) return std::nullopt;
    statement.level = GrantLevel::kSchema;
  } else {
    if (statement.level != GrantLevel::kRoutine) statement.level = GrantLevel::kTable;
    statement.table = object.text;
  }
  return statement;
}

UserGrants UserGrants::Parse(const std::vector<std::string>& show_grants_lines) {
  UserGrants grants;
  for (const auto& line : show_grants_lines) {
    if (auto statement = ParseGrantStatement(line)) {
      grants.statements_.push_back(std::move(*statement));
    }
  }
  return grants;
}

bool UserGrants::HasGlobal(const std::vector<std::string_view>& names) const {
  return std::ranges::any_of(statements_, [&names](const GrantStatement& s) {
    return !s.revoke && s.level == GrantLevel::kGlobal &&
           std::ranges::any_of(names, [&s](std::string_view name) { return Grants(s, name); });
  });
}

bool UserGrants::CanSelectSchema(std::string_view schema) const {
  // A partial revoke names its schema exactly (no wildcards).
  const bool revoked = std::ranges::any_of(statements_, [schema](const GrantStatement& s) {
    return s.revoke && s.level == GrantLevel::kSchema && s.schema == schema && Grants(s, "SELECT");
  });
  if (revoked) return false;
  return std::ranges::any_of(statements_, [schema](const GrantStatement& s) {
    if (s.revoke || !Grants(s, "SELECT")) return false;
    if (s.level == GrantLevel::kGlobal) return true;
    // Schema names in grants are LIKE patterns, compared case-sensitively
    // (as on Linux with lower_case_table_names=0).
    return s.level == GrantLevel::kSchema && LikeMatches(s.schema, schema, /*ignore_case=*/false);
  });
}

bool UserGrants::CanSelectTable(std::string_view schema, std::string_view table) const {
  if (CanSelectSchema(schema)) return true;
  return std::ranges::any_of(statements_, [schema, table](const GrantStatement& s) {
    return !s.revoke && s.level == GrantLevel::kTable && s.schema == schema && s.table == table &&
           Grants(s, "SELECT");
  });
}

}  // namespace futureim::source

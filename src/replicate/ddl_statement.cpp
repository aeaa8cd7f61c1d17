#include "replicate/ddl_statement.h"

#include <cctype>
#include <optional>

namespace futureim::replicate {
namespace {

struct Token {
  enum class Type { kWord, kQuoted, kSymbol, kEnd } type = Type::kEnd;
  std::string text;
};

// Splits DDL text into words, `quoted` identifiers and symbols, skipping
// comments. MySQL's executable comments (/*! ... */, /*M! ... */) are read
// as their content, since the server executes it.
class DdlTokenizer {
 public:
  explicit DdlTokenizer(std::string_view text) : text_(text) {}

  Token Next() {
    SkipSpaceAndComments();
    if (pos_ >= text_.size()) return {};
    const char c = text_[pos_];
    if (c == '`' || c == '"') {
      std::string name;
      ++pos_;
      while (pos_ < text_.size()) {
        if (text_[pos_] == c) {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == c) {
            name += c;
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        name += text_[pos_++];
      }
      return {Token::Type::kQuoted, name};
    }
    if (c == '\'') {  // a string literal: skip it whole
      ++pos_;
      while (pos_ < text_.size()) {
        if (text_[pos_] == '\\') {
          pos_ += 2;
        } else if (text_[pos_++] == '\'') {
          if (pos_ < text_.size() && text_[pos_] == '\'') {
            ++pos_;
          } else {
            break;
          }
        }
      }
      return {Token::Type::kSymbol, "'"};
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
        static_cast<unsigned char>(c) >= 0x80) {
      std::string word;
      while (pos_ < text_.size()) {
        const auto ch = static_cast<unsigned char>(text_[pos_]);
        if (!(std::isalnum(ch) || ch == '_' || ch == '$' || ch >= 0x80)) break;
        word += static_cast<char>(ch);
        ++pos_;
      }
      return {Token::Type::kWord, word};
    }
    if (c == '*' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/' && executable_depth_ > 0) {
      pos_ += 2;
      --executable_depth_;
      return Next();
    }
    ++pos_;
    return {Token::Type::kSymbol, std::string(1, c)};
  }

 private:
  void SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '#' || (c == '-' && text_.substr(pos_, 3) == "-- ")) {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (text_.substr(pos_, 3) == "/*!" || text_.substr(pos_, 4) == "/*M!") {
        pos_ += text_[pos_ + 2] == '!' ? 3 : 4;
        while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
        ++executable_depth_;
      } else if (text_.substr(pos_, 2) == "/*") {
        const size_t end = text_.find("*/", pos_ + 2);
        pos_ = end == std::string_view::npos ? text_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  int executable_depth_ = 0;
};

std::string Upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

class DdlParser {
 public:
  DdlParser(std::string_view text, std::string_view default_schema)
      : tokenizer_(text), default_schema_(default_schema) {
    Advance();
  }

  DdlStatement Parse() {
    DdlStatement result;
    if (Accept("CREATE")) {
      Accept("OR") && Accept("REPLACE");
      Accept("TEMPORARY");
      if (!Accept("TABLE")) return result;
      if (Accept("IF")) Accept("NOT") && Accept("EXISTS");
      if (auto table = Name()) {
        result.kind = DdlStatement::Kind::kCreateTable;
        result.tables.push_back(*table);
      }
    } else if (Accept("DROP")) {
      Accept("TEMPORARY");
      if (!Accept("TABLE") && !Accept("TABLES")) return result;
      if (Accept("IF")) Accept("EXISTS");
      result.kind = DdlStatement::Kind::kDropTable;
      do {
        if (auto table = Name()) result.tables.push_back(*table);
      } while (AcceptSymbol(","));
    } else if (Accept("RENAME")) {
      if (!Accept("TABLE") && !Accept("TABLES")) return result;
      result.kind = DdlStatement::Kind::kRenameTable;
      do {
        auto from = Name();
        if (!from || !Accept("TO")) break;
        auto to = Name();
        if (!to) break;
        result.renames.emplace_back(*from, *to);
      } while (AcceptSymbol(","));
    } else if (Accept("TRUNCATE")) {
      Accept("TABLE");
      if (auto table = Name()) {
        result.kind = DdlStatement::Kind::kTruncateTable;
        result.tables.push_back(*table);
      }
    } else if (Accept("ALTER")) {
      Accept("ONLINE");
      Accept("IGNORE");
      if (!Accept("TABLE")) return result;
      if (Accept("IF")) Accept("EXISTS");
      auto table = Name();
      if (!table) return result;
      result.kind = DdlStatement::Kind::kAlterTable;
      result.tables.push_back(*table);
      // ALTER TABLE t ..., RENAME [TO|AS] new_name (not RENAME COLUMN/INDEX/KEY).
      int depth = 0;
      while (token_.type != Token::Type::kEnd) {
        if (token_.type == Token::Type::kSymbol && token_.text == "(") ++depth;
        if (token_.type == Token::Type::kSymbol && token_.text == ")") --depth;
        if (depth == 0 && IsWord("RENAME")) {
          Advance();
          if (IsWord("COLUMN") || IsWord("INDEX") || IsWord("KEY") || IsWord("CONSTRAINT")) {
            continue;
          }
          Accept("TO") || Accept("AS");
          if (auto to = Name()) result.renames.emplace_back(*table, *to);
          continue;
        }
        Advance();
      }
    }
    return result;
  }

 private:
  void Advance() { token_ = tokenizer_.Next(); }

  bool IsWord(const char* word) const {
    return token_.type == Token::Type::kWord && Upper(token_.text) == word;
  }

  bool Accept(const char* word) {
    if (!IsWord(word)) return false;
    Advance();
    return true;
  }

  bool AcceptSymbol(const char* symbol) {
    if (token_.type != Token::Type::kSymbol || token_.text != symbol) return false;
    Advance();
    return true;
  }

  std::optional<std::string> Identifier() {
    if (token_.type != Token::Type::kWord && token_.type != Token::Type::kQuoted) {
      return std::nullopt;
    }
    std::string name = token_.text;
    Advance();
    return name;
  }

  std::optional<TableRef> Name() {
    auto first = Identifier();
    if (!first) return std::nullopt;
    if (AcceptSymbol(".")) {
      auto second = Identifier();
      if (!second) return std::nullopt;
      return TableRef{*first, *second};
    }
    return TableRef{std::string(default_schema_), *first};
  }

  DdlTokenizer tokenizer_;
  std::string_view default_schema_;
  Token token_;
};

}  // namespace

DdlStatement DdlStatement::Parse(std::string_view statement, std::string_view default_schema) {
  return DdlParser(statement, default_schema).Parse();
}

}  // namespace futureim::replicate

#pragma once

#include <string>

#include "core/error.h"

namespace futureim::query {

// Why a query did not produce a result; callers map it to an exit code or an
// HTTP status. The message is meant for the user as is (no internals beyond
// DuckDB's own description of what is wrong with the SQL).
enum class QueryErrorKind {
  kRejected,  // not a single read-only query, or it reaches outside the lake views
  kInvalid,   // DuckDB cannot parse or bind it (syntax, unknown table or column)
  kTimedOut,  // the time limit interrupted it
  kFailed,    // it failed while running (memory limit, conversion error...)
};

class QueryError : public core::Error {
 public:
  QueryError(QueryErrorKind kind, const std::string& message) : core::Error(message), kind_(kind) {}

  QueryErrorKind Kind() const noexcept { return kind_; }

 private:
  QueryErrorKind kind_;
};

}  // namespace futureim::query

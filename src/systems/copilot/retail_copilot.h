#pragma once

// The Retail Copilot's on-demand answer: a question (with the plan of the
// conversation's previous answer) → a sentence, the rows and the SQL that
// produced them. The SQL is compiled from a semantic plan, never taken from
// the question, and runs through query::QueryRunner: the read-only guard,
// the locked-down connection, a time limit and a row limit.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "query/query_runner.h"
#include "systems/copilot/question_understanding.h"

namespace futureim::systems::copilot {

struct CopilotReply {
  // "answer": rows and sql are set; "clarification": the copilot needs more
  // (nothing was run); "refusal": the request is outside what it does.
  std::string kind;
  std::string text;
  std::string sql;
  query::QueryResult result;
  std::optional<SemanticPlan> plan;  // remembered by the conversation
  std::string intent;
  double confidence = 0;

  // {kind, answer, sql, columns, rows, truncated, plan, intent, confidence}
  nlohmann::json ToJson() const;
};

struct CopilotLimits {
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  uint64_t max_rows = 1000;
};

class RetailCopilot {
 public:
  // Reads the store vocabulary through `runner` and trains the intent model.
  explicit RetailCopilot(const query::QueryRunner& runner, CopilotLimits limits = {});

  // `today`: days since 1970-01-01 of the question (its periods resolve
  // against it). Never throws for a bad question; a failing query becomes
  // a clarification that says what failed.
  CopilotReply Answer(std::string_view question, const std::optional<SemanticPlan>& previous,
                      int64_t today) const;

 private:
  CopilotReply AnswerInsight(const std::string& topic) const;

  const query::QueryRunner& runner_;
  CopilotLimits limits_;
  QuestionUnderstanding understanding_;
};

// The sentence for a plan's result ("Revenue in Germany, last month: 12,345.67.").
std::string DescribeAnswer(const SemanticPlan& plan, const query::QueryResult& result);

}  // namespace futureim::systems::copilot

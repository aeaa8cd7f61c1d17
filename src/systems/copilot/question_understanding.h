#pragma once

// From a question (and the plan of the previous one, for follow-ups) to a
// semantic plan, or to the reason there is none. The intent comes from the
// text classifier trained on corpus/intents.tsv; measures, dimensions,
// limits and amounts from keywords (typo-tolerant); names from the store
// vocabulary; periods from the period parser. Anything the plan cannot
// express faithfully becomes a clarifying question, never a guess.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ml/text_classifier.h"
#include "systems/copilot/semantic_plan.h"
#include "systems/copilot/store_vocabulary.h"

namespace futureim::systems::copilot {

struct Understanding {
  enum class Outcome { kPlan, kClarify, kRefuse, kSmallTalk, kInsight };
  Outcome outcome = Outcome::kClarify;
  std::string intent;
  double confidence = 0;
  SemanticPlan plan;          // kPlan
  std::string message;        // kClarify / kRefuse / kSmallTalk: what to say
  std::string insight_topic;  // kInsight: "churn", "segments", "fraud", "forecast", ...
  bool follow_up = false;
  std::vector<EntityMatch> entities;
};

// The labelled questions of corpus/intents.tsv (compiled into the binary).
std::vector<ml::LabelledText> IntentCorpus();

class QuestionUnderstanding {
 public:
  static constexpr size_t kMaxQuestionBytes = 1000;

  QuestionUnderstanding(StoreVocabulary vocabulary, ml::TextClassifier classifier)
      : vocabulary_(std::move(vocabulary)), classifier_(std::move(classifier)) {}

  Understanding Understand(std::string_view question, const std::optional<SemanticPlan>& previous,
                           int64_t today) const;

 private:
  StoreVocabulary vocabulary_;
  ml::TextClassifier classifier_;
};

}  // namespace futureim::systems::copilot

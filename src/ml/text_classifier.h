#pragma once

// A multinomial logistic regression over word and character n-grams: the
// generic short-text classifier (the copilot's intent model). Plain C++, no
// global state; training is deterministic for the same examples and options
// (full-batch gradient descent from zero weights, no sampling).
//
// Features of a text: its lower-cased word unigrams and bigrams, and the
// character 3- to 5-grams of each word padded with spaces (so typos such as
// "reveune" still share most features with "revenue"). Each feature counts
// once per text; the vector is L2-normalised. Only features seen in training
// have weights; unseen ones are ignored.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace futureim::ml {

struct LabelledText {
  std::string label;
  std::string text;
};

struct TextClassifierOptions {
  int epochs = 300;
  double learning_rate = 2.0;
  double l2 = 1e-4;  // weight decay per epoch, times the learning rate
};

struct TextPrediction {
  std::string label;
  double probability = 0;
  // Every label's probability, in the order of TextClassifier::Labels().
  std::vector<double> probabilities;
};

class TextClassifier {
 public:
  // Throws core::Error when there are no examples or fewer than two labels.
  static TextClassifier Train(const std::vector<LabelledText>& examples,
                              const TextClassifierOptions& options = {});

  TextPrediction Predict(std::string_view text) const;
  const std::vector<std::string>& Labels() const { return labels_; }
  size_t FeatureCount() const { return vocabulary_.size(); }

  // The distinct feature strings of a text (exposed for tests).
  static std::vector<std::string> Features(std::string_view text);

 private:
  struct SparseVector {
    std::vector<size_t> index;
    double value = 0;  // every present feature has the same weight (L2-normalised)
  };
  SparseVector Vectorise(std::string_view text) const;
  std::vector<double> Scores(const SparseVector& x) const;

  std::vector<std::string> labels_;
  std::unordered_map<std::string, size_t> vocabulary_;
  // weights_[label * (features + 1) + feature]; the last column is the bias.
  std::vector<double> weights_;
};

}  // namespace futureim::ml

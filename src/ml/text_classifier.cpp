#include "ml/text_classifier.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "core/error.h"

namespace futureim::ml {

namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) || c >= 0x80 || c == '\'') {
      current.push_back(static_cast<char>(std::tolower(c)));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::vector<double> Softmax(std::vector<double> scores) {
  const double top = *std::max_element(scores.begin(), scores.end());
  double total = 0;
  for (double& s : scores) total += (s = std::exp(s - top));
  for (double& s : scores) s /= total;
  return scores;
}

}  // namespace

std::vector<std::string> TextClassifier::Features(std::string_view text) {
  const auto words = Words(text);
  std::set<std::string> features;
  for (size_t i = 0; i < words.size(); ++i) {
    features.insert("w:" + words[i]);
    if (i + 1 < words.size()) features.insert("b:" + words[i] + " " + words[i + 1]);
    const std::string padded = " " + words[i] + " ";
    for (size_t n = 3; n <= 5; ++n) {
      for (size_t start = 0; start + n <= padded.size(); ++start) {
        features.insert("c:" + padded.substr(start, n));
      }
    }
  }
  return {features.begin(), features.end()};
}

TextClassifier::SparseVector TextClassifier::Vectorise(std::string_view text) const {
  SparseVector x;
  for (const auto& feature : Features(text)) {
    const auto found = vocabulary_.find(feature);
    if (found != vocabulary_.end()) x.index.push_back(found->second);
  }
  // The bias is not part of the norm: an empty text scores by bias alone.
  x.value = x.index.empty() ? 0 : 1.0 / std::sqrt(static_cast<double>(x.index.size()));
  return x;
}

std::vector<double> TextClassifier::Scores(const SparseVector& x) const {
  const size_t stride = vocabulary_.size() + 1;
  std::vector<double> scores(labels_.size());
  for (size_t k = 0; k < labels_.size(); ++k) {
    const double* w = &weights_[k * stride];
    double s = w[stride - 1];
    for (const size_t i : x.index) s += w[i] * x.value;
    scores[k] = s;
  }
  return scores;
}

TextClassifier TextClassifier::Train(const std::vector<LabelledText>& examples,
                                     const TextClassifierOptions& options) {
  if (examples.empty()) throw core::Error("a text classifier needs training examples");
  TextClassifier model;
  std::set<std::string> labels;
  for (const auto& example : examples) {
    labels.insert(example.label);
    for (auto& feature : Features(example.text)) {
      model.vocabulary_.emplace(std::move(feature), model.vocabulary_.size());
    }
  }
  if (labels.size() < 2) throw core::Error("a text classifier needs at least two labels");
  model.labels_.assign(labels.begin(), labels.end());
  const size_t stride = model.vocabulary_.size() + 1;
  model.weights_.assign(model.labels_.size() * stride, 0.0);

  std::vector<SparseVector> xs;
  std::vector<size_t> ys;
  for (const auto& example : examples) {
    xs.push_back(model.Vectorise(example.text));
    ys.push_back(static_cast<size_t>(
        std::lower_bound(model.labels_.begin(), model.labels_.end(), example.label) -
        model.labels_.begin()));
  }
  // Full-batch gradient descent on the mean cross-entropy + L2.
  const double scale = options.learning_rate / static_cast<double>(examples.size());
  std::vector<double> gradient(model.weights_.size());
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::fill(gradient.begin(), gradient.end(), 0.0);
    for (size_t n = 0; n < xs.size(); ++n) {
      const auto p = Softmax(model.Scores(xs[n]));
      for (size_t k = 0; k < p.size(); ++k) {
        const double error = p[k] - (k == ys[n] ? 1.0 : 0.0);
        double* g = &gradient[k * stride];
        for (const size_t i : xs[n].index) g[i] += error * xs[n].value;
        g[stride - 1] += error;
      }
    }
    const double decay = 1.0 - options.learning_rate * options.l2;
    for (size_t j = 0; j < model.weights_.size(); ++j) {
      model.weights_[j] = model.weights_[j] * decay - scale * gradient[j];
    }
  }
  return model;
}

TextPrediction TextClassifier::Predict(std::string_view text) const {
  TextPrediction prediction;
  prediction.probabilities = Softmax(Scores(Vectorise(text)));
  const auto best =
      std::max_element(prediction.probabilities.begin(), prediction.probabilities.end()) -
      prediction.probabilities.begin();
  prediction.label = labels_[static_cast<size_t>(best)];
  prediction.probability = prediction.probabilities[static_cast<size_t>(best)];
  return prediction;
}

}  // namespace futureim::ml

#include "systems/copilot/question_understanding.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <sstream>

#include "core/utf8.h"

namespace futureim::systems::copilot {

extern const char* const kIntentCorpusText;  // generated from corpus/intents.tsv

namespace {

using Words = std::vector<std::string>;

bool Has(const Words& words, std::initializer_list<const char*> any) {
  for (const auto& word : words)
    for (const char* target : any)
      if (SimilarWord(word, target)) return true;
  return false;
}

bool HasPhrase(const std::string& text, const char* pattern) {
  return std::regex_search(text, std::regex(pattern));
}

// The text with the words of entity matches blanked, so "Home & Kitchen"
// or a product named "... Pro Speakers" never reads as a keyword.
Words WithoutEntities(Words words, const std::vector<EntityMatch>& matches) {
  for (const auto& match : matches)
    for (size_t i = match.first_word; i < match.first_word + match.word_count; ++i) words[i] = "";
  return words;
}

Measure FindMeasure(const std::string& text, const Words& words) {
  if (HasPhrase(text, R"(\b(average|avg|mean)\s+(order|basket)|\baov\b)"))
    return Measure::kAverageOrder;
  if (HasPhrase(text, R"(\b(average|avg|mean)\s+(product\s+)?price)"))
    return Measure::kAveragePrice;
  if (HasPhrase(text, R"(out of stock|sold out)")) return Measure::kOutOfStock;
  if (HasPhrase(text, R"(low on stock|low stock|reorder|restock|running out|low inventory)"))
    return Measure::kLowStock;
  if (Has(words, {"stock", "inventory"})) return Measure::kStock;
  if (Has(words, {"units", "quantity", "pieces"}) || HasPhrase(text, R"(\bitems\s+(were\s+)?sold)"))
    return Measure::kUnits;
  if (Has(words, {"revenue", "sales", "turnover", "income", "earnings", "gmv", "money", "earn",
                  "earned", "spend", "spent", "spending", "made", "make"}))
    return Measure::kRevenue;
  if (Has(words, {"buyers", "shoppers", "purchasers"}) ||
      HasPhrase(
          text,
          R"(\b(active|unique|distinct)\s+customers|customers\s+(who\s+)?(placed|ordered|bought|purchased))"))
    return Measure::kBuyers;
  if (Has(words, {"orders", "order", "purchases", "transactions"})) return Measure::kOrders;
  if (Has(words,
          {"customers", "customer", "clients", "signups", "signed", "registrations", "accounts"}))
    return Measure::kCustomers;
  if (HasPhrase(text,
                R"(\b(how many|number of|count of|count)\s+(\w+\s+)?(products|items|skus))") ||
      HasPhrase(text, R"(^\s*(products|skus)\s+(per|by|in each)\b)"))
    return Measure::kProducts;
  return Measure::kNone;
}

struct DimensionWord {
  const char* word;
  Dimension dimension;
  bool plural;
};
constexpr DimensionWord kDimensionWords[] = {
    {"country", Dimension::kCountry, false},
    {"countries", Dimension::kCountry, true},
    {"market", Dimension::kCountry, false},
    {"markets", Dimension::kCountry, true},
    {"city", Dimension::kCity, false},
    {"cities", Dimension::kCity, true},
    {"category", Dimension::kCategory, false},
    {"categories", Dimension::kCategory, true},
    {"department", Dimension::kCategory, false},
    {"departments", Dimension::kCategory, true},
    {"brand", Dimension::kBrand, false},
    {"brands", Dimension::kBrand, true},
    {"product", Dimension::kProduct, false},
    {"products", Dimension::kProduct, true},
    {"item", Dimension::kProduct, false},
    {"items", Dimension::kProduct, true},
    {"status", Dimension::kStatus, false},
    {"statuses", Dimension::kStatus, true},
    {"customer", Dimension::kCustomer, false},
    {"customers", Dimension::kCustomer, true},
    {"warehouse", Dimension::kWarehouse, false},
    {"warehouses", Dimension::kWarehouse, true},
    {"daily", Dimension::kDay, true},
    {"weekly", Dimension::kWeek, true},
    {"monthly", Dimension::kMonth, true},
    {"yearly", Dimension::kYear, true},
    {"annual", Dimension::kYear, true},
};

struct FoundDimension {
  Dimension dimension = Dimension::kNone;
  bool plural = true;
  bool explicit_by = false;  // "by X", "per X", "each X"
};

FoundDimension FindDimension(const std::string& text, const Words& words) {
  static const std::regex kByTime(
      R"(\b(by|per|each|every|over the|for each)\s+(day|week|month|year)s?\b)");
  std::smatch m;
  if (std::regex_search(text, m, kByTime)) {
    const std::string unit = m[2];
    return {unit == "day"     ? Dimension::kDay
            : unit == "week"  ? Dimension::kWeek
            : unit == "month" ? Dimension::kMonth
                              : Dimension::kYear,
            true, true};
  }
  if (HasPhrase(text, R"(\bpayment\s+(method|type)s?\b|\bpay(ment)? with\b)") &&
      !HasPhrase(text, R"(paid with|pay with)"))
    return {Dimension::kPaymentMethod, !HasPhrase(text, R"(payment (method|type)\b)"), false};
  static const std::regex kBy(
      R"(\b(?:by|per|each|every|across|for each|split by|broken down by)\s+(\w+))");
  if (std::regex_search(text, m, kBy)) {
    for (const auto& entry : kDimensionWords)
      if (m[1].str() == entry.word) return {entry.dimension, true, true};
    for (const auto& entry : kDimensionWords)
      if (SimilarWord(m[1].str(), entry.word)) return {entry.dimension, true, true};
  }
  for (const auto& word : words) {
    if (word.empty()) continue;
    // An exact word first ("products" is plural, not a typo of "product").
    for (const auto& entry : kDimensionWords)
      if (word == entry.word) return {entry.dimension, entry.plural, false};
    for (const auto& entry : kDimensionWords)
      if (SimilarWord(word, entry.word)) return {entry.dimension, entry.plural, false};
  }
  if (HasPhrase(text, R"(\b(trend|trending|over time)\b)")) return {Dimension::kMonth, true, false};
  return {};
}

int64_t NumberWord(const std::string& word) {
  static const std::map<std::string, int64_t> numbers = {
      {"one", 1},      {"two", 2},     {"three", 3},  {"four", 4},     {"five", 5},
      {"six", 6},      {"seven", 7},   {"eight", 8},  {"nine", 9},     {"ten", 10},
      {"fifteen", 15}, {"twenty", 20}, {"fifty", 50}, {"hundred", 100}};
  const auto found = numbers.find(word);
  if (found != numbers.end()) return found->second;
  if (!word.empty() && word.size() <= 4 && std::all_of(word.begin(), word.end(), ::isdigit))
    return std::stoll(word);
  return 0;
}

// "top 5", "5 best", "bottom ten", "first 20", "last 20 orders".
int64_t FindLimit(const Words& words) {
  static const std::set<std::string> kBefore = {"top",    "which",   "bottom", "first",
                                                "best",   "worst",   "last",   "latest",
                                                "recent", "biggest", "largest"};
  static const std::set<std::string> kAfter = {"best", "worst", "top",     "biggest", "largest",
                                               "most", "least", "highest", "lowest"};
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (kBefore.count(words[i])) {
      const int64_t n = NumberWord(words[i + 1]);
      // "last 30 days" is a period, not a limit.
      const bool period = i + 2 < words.size() &&
                          std::regex_match(words[i + 2], std::regex("(day|week|month|year)s?"));
      if (n > 0 && !period) return n;
    }
    if (kAfter.count(words[i + 1])) {
      const int64_t n = NumberWord(words[i]);
      if (n > 0) return n;
    }
  }
  return 0;
}

bool Ascending(const std::string& text) {
  return HasPhrase(text, R"(\b(worst|least|lowest|bottom|fewest|smallest|weakest)\b)");
}

struct Amounts {
  std::optional<double> min, max;
};

Amounts FindAmounts(const std::string& text) {
  Amounts out;
  static const std::string kValue =
      R"([$€£]?\s*(\d+(?:[.,]\d+)?)\s*(k\b)?\s*(?:dollars|usd|eur|euros)?)";
  static const std::regex kBetween("\\bbetween\\s+" + kValue + "\\s+and\\s+" + kValue);
  static const std::regex kOver(
      R"(\b(?:over|above|more than|greater than|exceeding|bigger than|at least|>=?)\s+)" + kValue);
  static const std::regex kUnder(
      R"(\b(?:under|below|less than|smaller than|cheaper than|at most|<=?)\s+)" + kValue);
  const auto value = [](const std::ssub_match& number, const std::ssub_match& k) {
    std::string digits = number.str();
    std::replace(digits.begin(), digits.end(), ',', '.');
    return std::stod(digits) * (k.matched ? 1000.0 : 1.0);
  };
  std::smatch m;
  if (std::regex_search(text, m, kBetween)) {
    out.min = value(m[1], m[2]);
    out.max = value(m[3], m[4]);
    return out;
  }
  if (std::regex_search(text, m, kOver)) out.min = value(m[1], m[2]);
  if (std::regex_search(text, m, kUnder)) out.max = value(m[1], m[2]);
  return out;
}

std::string FilterKind(EntityKind kind) {
  switch (kind) {
    case EntityKind::kCountry:
      return "country";
    case EntityKind::kCity:
      return "city";
    case EntityKind::kCategory:
      return "category";
    case EntityKind::kBrand:
      return "brand";
    case EntityKind::kProduct:
      return "product";
    case EntityKind::kOrderStatus:
      return "status";
    case EntityKind::kPaymentMethod:
      return "payment_method";
  }
  return "";
}

// Words a question may capitalise that are not names of the store.
bool IsKnownWord(const std::string& lower) {
  static const std::set<std::string> known = {
      "i",      "what",  "which",   "who",     "how",   "show",   "list",   "give",    "tell",
      "top",    "and",   "compare", "q1",      "q2",    "q3",     "q4",     "ytd",     "mtd",
      "aov",    "gmv",   "sku",     "skus",    "vs",    "please", "the",    "is",      "are",
      "was",    "were",  "did",     "do",      "does",  "our",    "my",     "only",    "just",
      "now",    "same",  "instead", "what's",  "whats", "can",    "could",  "total",   "revenue",
      "orders", "sales", "in",      "for",     "by",    "of",     "a",      "an",      "hi",
      "hello",  "hey",   "thanks",  "ok",      "okay",  "find",   "get",    "average", "number",
      "count",  "best",  "worst",   "monthly", "daily", "weekly", "yearly", "copilot"};
  if (known.count(lower)) return true;
  static const std::regex kMonth(
      "(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|mon|tue|wed|thu|fri|sat|sun|"
      "monday|tuesday|wednesday|thursday|friday|saturday|sunday");
  return std::regex_match(lower, kMonth) || std::all_of(lower.begin(), lower.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c));
         });
}

bool IsFollowUp(const std::string& text, const Words& words, Measure measure) {
  static const std::regex kStart(
      R"(^\s*(and|what about|how about|only|just|same|now|instead|but|what if|for|in|by|show top|make it|then|also|excluding|without)\b)");
  if (std::regex_search(text, kStart)) return true;
  if (HasPhrase(text, R"(\binstead\b)")) return true;
  return measure == Measure::kNone && words.size() <= 5;
}

std::string InsightTopic(const std::string& text) {
  if (HasPhrase(text, R"(churn|at risk|might leave|likely to leave|at-risk)")) return "churn";
  if (HasPhrase(text, R"(segment|champion|loyal|hibernating)")) return "segments";
  if (HasPhrase(text, R"(lifetime value|\bclv\b|\bltv\b)")) return "lifetime_value";
  if (HasPhrase(text, R"(fraud|suspicious|high risk|high-risk|risky)")) return "fraud";
  if (HasPhrase(text, R"(forecast|predict|next month|next week|next year|projection)"))
    return "forecast";
  if (HasPhrase(text, R"(opportunit)")) return "opportunities";
  if (HasPhrase(text, R"(recommend)")) return "recommendations";
  return "";
}

}  // namespace

std::vector<ml::LabelledText> IntentCorpus() {
  std::vector<ml::LabelledText> examples;
  std::istringstream in(kIntentCorpusText);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    examples.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return examples;
}

Understanding QuestionUnderstanding::Understand(std::string_view question,
                                                const std::optional<SemanticPlan>& previous,
                                                int64_t today) const {
  Understanding out;
  if (question.size() > kMaxQuestionBytes) {
    out.outcome = Understanding::Outcome::kRefuse;
    out.message = "That question is too long (over " + std::to_string(kMaxQuestionBytes) +
                  " bytes); please ask it in a sentence or two.";
    return out;
  }
  if (core::FirstInvalidUtf8(question) != std::string_view::npos) {
    out.outcome = Understanding::Outcome::kRefuse;
    out.message = "The question is not valid UTF-8 text.";
    return out;
  }
  std::string text(question);
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const Words words = NormalisedWords(text);
  const Words original = SplitWords(question, false);
  if (words.empty()) {
    out.message = "Ask me about orders, revenue, products, customers or stock.";
    return out;
  }
  // A question cut short ("sales by"): asking beats guessing the rest.
  static const std::set<std::string> kDangling = {"by", "per",    "for", "in",   "of", "from",
                                                  "vs", "versus", "and", "with", "to"};
  if (kDangling.count(words.back())) {
    out.message =
        "Your question seems cut short after \"" + words.back() + "\". Could you finish it?";
    return out;
  }
  const auto prediction = classifier_.Predict(text);
  out.intent = prediction.label;
  out.confidence = prediction.probability;

  // Requests to change data or reach outside the store's figures.
  if (HasPhrase(
          text,
          R"(\b(delete|drop|truncate|insert|alter|grant|revoke|update|remove|modify|overwrite|attach|copy|export|pragma|install|load)\b)") ||
      HasPhrase(
          text,
          R"(password|passwd|secret|api key|token|/etc/|\.\./|file://|ignore (all |the )?previous)") ||
      HasPhrase(text, R"(\b(other|another) users?\b|someone else)")) {
    out.outcome = Understanding::Outcome::kRefuse;
    out.message =
        "I can only read the store's figures (orders, revenue, products, customers, stock); I "
        "cannot change data, read files or other users' conversations.";
    return out;
  }
  if (out.intent == "smalltalk" && words.size() <= 6) {
    out.outcome = Understanding::Outcome::kSmallTalk;
    out.message =
        "I answer questions about the store from the lake, e.g. \"revenue by country last month\", "
        "\"top 5 products in electronics\", \"how many orders are pending\", \"compare this "
        "quarter with last quarter\". Follow-ups like \"and in France?\" use the last answer.";
    return out;
  }
  if (out.intent == "out_of_scope" && out.confidence > 0.5) {
    out.outcome = Understanding::Outcome::kRefuse;
    out.message = "That is outside what I can answer: I only know this store's data.";
    return out;
  }
  const std::string topic = InsightTopic(text);
  if (out.intent == "insight" || (!topic.empty() && out.intent != "aggregate")) {
    if (!topic.empty()) {
      out.outcome = Understanding::Outcome::kInsight;
      out.insight_topic = topic;
      return out;
    }
  }

  out.entities = vocabulary_.Match(words, original);
  // "shipped to Canada" names a destination, not the status "shipped".
  std::erase_if(out.entities, [&](const EntityMatch& match) {
    const size_t next = match.first_word + match.word_count;
    return match.kind == EntityKind::kOrderStatus && match.value == "shipped" &&
           next < words.size() && (words[next] == "to" || words[next] == "from");
  });
  const Words rest = WithoutEntities(words, out.entities);
  // A capitalised word that names nothing known: a place or product the
  // store does not have. Asking beats answering for everything instead.
  for (size_t i = 1; i < original.size() && i < words.size(); ++i) {
    if (rest[i].empty() || !std::isupper(static_cast<unsigned char>(original[i][0]))) continue;
    if (IsKnownWord(words[i])) continue;
    out.message = "I don't know \"" + original[i] +
                  "\" in this store (not a country, city, category, brand or product I can find). "
                  "Could you check the name?";
    return out;
  }
  std::string rest_text;
  for (const auto& word : rest) rest_text += (word.empty() ? "_" : word) + " ";

  const auto periods = ParsePeriods(text, today);
  Measure measure = FindMeasure(rest_text, rest);
  FoundDimension dimension = FindDimension(rest_text, rest);
  const int64_t limit = FindLimit(words);
  const Amounts amounts = FindAmounts(text);

  out.follow_up = previous && IsFollowUp(text, words, measure);
  SemanticPlan plan;
  if (out.follow_up) {
    plan = *previous;
    if (measure != Measure::kNone) {
      // "and the orders?": a dimension noun used as a measure is not a new dimension.
      plan.measure = measure;
    }
    if (dimension.dimension != Dimension::kNone &&
        (dimension.explicit_by || plan.shape == PlanShape::kRanking)) {
      const bool measure_word_only =
          dimension.dimension == Dimension::kCustomer && measure == Measure::kCustomers;
      if (!measure_word_only) {
        plan.dimension = dimension.dimension;
        if (plan.shape == PlanShape::kAggregate) plan.shape = PlanShape::kBreakdown;
      }
    }
    if (limit > 0) {
      plan.limit = limit;
      if (plan.shape == PlanShape::kAggregate || plan.shape == PlanShape::kBreakdown) {
        if (plan.dimension != Dimension::kNone) plan.shape = PlanShape::kRanking;
      }
    }
    if (HasPhrase(text, R"(\b(worst|least|lowest|bottom|fewest)\b)")) plan.ascending = true;
    if (HasPhrase(text, R"(\b(best|most|highest|top|biggest)\b)")) plan.ascending = false;
    if (periods.period) {
      plan.period = periods.period;
      plan.compared_with = periods.compared_with;
      if (plan.shape == PlanShape::kComparison && !periods.compared_with) {
        plan.shape = PlanShape::kAggregate;
        plan.compared_with.reset();
      }
    }
    if (HasPhrase(text, R"(\b(all time|overall|in total|ever)\b)")) plan.period.reset();
  } else {
    const std::string& intent = out.intent;
    plan.measure = measure;
    plan.period = periods.period;
    if (intent == "comparison" || periods.compared_with) {
      plan.shape = PlanShape::kComparison;
      plan.compared_with = periods.compared_with;
    } else if (intent == "listing" && (measure == Measure::kNone || measure == Measure::kOrders)) {
      plan.shape = PlanShape::kListing;
      plan.measure = Measure::kOrders;
      plan.limit = limit > 0 ? limit : 20;
    } else if ((intent == "ranking" || intent == "breakdown") &&
               dimension.dimension == Dimension::kNone && limit == 0 && measure != Measure::kNone) {
      // "sales in London": no dimension to rank or split by, one number.
      plan.shape = PlanShape::kAggregate;
    } else if (intent == "ranking" || (limit > 0 && dimension.dimension != Dimension::kNone &&
                                       HasPhrase(text, R"(\b(top|bottom|best|worst|which)\b)"))) {
      plan.shape = PlanShape::kRanking;
      plan.dimension = dimension.dimension;
      plan.ascending = Ascending(text);
      plan.limit = limit > 0 ? limit : dimension.plural ? 10 : 1;
    } else if (intent == "breakdown") {
      plan.shape = PlanShape::kBreakdown;
      plan.dimension = dimension.dimension;
      if (limit > 0) plan.shape = PlanShape::kRanking, plan.limit = limit;
    } else if (intent == "inventory" &&
               (measure == Measure::kStock || measure == Measure::kLowStock ||
                measure == Measure::kOutOfStock)) {
      plan.shape = dimension.explicit_by ? PlanShape::kBreakdown : PlanShape::kAggregate;
      plan.dimension = dimension.explicit_by ? dimension.dimension : Dimension::kNone;
      if (plan.measure != Measure::kLowStock && plan.measure != Measure::kOutOfStock)
        plan.measure = Measure::kStock;
    } else {
      plan.shape = PlanShape::kAggregate;
      if (dimension.explicit_by)
        plan.shape = PlanShape::kBreakdown, plan.dimension = dimension.dimension;
    }
    // The ranked noun is not also the measure ("top customers" ranks customers by revenue).
    if ((plan.shape == PlanShape::kRanking || plan.shape == PlanShape::kBreakdown) &&
        ((plan.dimension == Dimension::kCustomer && plan.measure == Measure::kCustomers) ||
         (plan.dimension == Dimension::kProduct && plan.measure == Measure::kProducts))) {
      plan.measure = Measure::kNone;
    }
    if (plan.shape == PlanShape::kRanking && plan.measure == Measure::kNone) {
      plan.measure = HasPhrase(text, R"(\b(selling|sold|popular|sell)\b)") ? Measure::kUnits
                     : plan.dimension == Dimension::kPaymentMethod         ? Measure::kOrders
                                                                           : Measure::kRevenue;
      if (plan.dimension == Dimension::kCountry && HasPhrase(text, R"(\border\b)"))
        plan.measure = Measure::kOrders;
    }
  }
  for (const auto& match : out.entities) {
    const std::string kind = FilterKind(match.kind);
    auto& values = plan.filters[kind];
    // A follow-up naming a country replaces the previous country; two names
    // in one question ("Germany and France") are both kept.
    if (out.follow_up && std::find(values.begin(), values.end(), match.value) == values.end() &&
        !HasPhrase(text, R"(\balso\b)")) {
      bool fresh_kind = true;
      for (const auto& earlier : out.entities)
        if (&earlier != &match && earlier.kind == match.kind &&
            earlier.first_word < match.first_word)
          fresh_kind = false;
      if (fresh_kind) values.clear(), plan.category_sets.erase(kind);
    }
    if (std::find(values.begin(), values.end(), match.value) == values.end())
      values.push_back(match.value);
    if (match.kind == EntityKind::kCategory) {
      plan.category_sets[match.value] = vocabulary_.CategoryWithDescendants(match.value);
    }
  }
  if (amounts.min) plan.min_amount = amounts.min;
  if (amounts.max) plan.max_amount = amounts.max;
  if (out.follow_up && HasPhrase(text, R"(\b(everywhere|all countries|any country)\b)"))
    plan.filters.erase("country");

  // What cannot be answered faithfully.
  if (plan.measure == Measure::kNone) {
    out.message = previous ? "Which figure do you mean: revenue, orders, units, customers or stock?"
                           : "I'm not sure what to measure. Do you mean revenue, orders, units "
                             "sold, customers or stock?";
    return out;
  }
  if ((plan.shape == PlanShape::kRanking || plan.shape == PlanShape::kBreakdown) &&
      plan.dimension == Dimension::kNone) {
    out.message = "By what should I break " + MeasureName(plan.measure) +
                  " down: country, city, category, brand, product, status or month?";
    return out;
  }
  if (plan.shape == PlanShape::kComparison && (!plan.period || !plan.compared_with)) {
    out.message = "Which two periods should I compare (e.g. \"this quarter vs last quarter\")?";
    return out;
  }
  if (out.confidence < 0.25 && !out.follow_up && plan.shape != PlanShape::kAggregate) {
    out.message =
        "I'm not sure I understood. Could you rephrase, e.g. \"revenue by country last month\"?";
    return out;
  }
  plan.filters.erase("");
  for (auto it = plan.filters.begin(); it != plan.filters.end();) {
    it = it->second.empty() ? plan.filters.erase(it) : std::next(it);
  }
  try {
    (void)CompilePlan(plan);
  } catch (const std::exception& e) {
    out.message = std::string("I can't answer that as asked: ") + e.what() + ".";
    return out;
  }
  out.outcome = Understanding::Outcome::kPlan;
  out.plan = std::move(plan);
  return out;
}

}  // namespace futureim::systems::copilot

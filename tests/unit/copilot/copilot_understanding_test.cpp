// The copilot's parts without a lake: periods, typo-tolerant names, the
// intent classifier on held-out wording, and plans compiled to SQL.

#include <iostream>

#include <gtest/gtest.h>

#include "core/civil_date.h"
#include "ml/text_classifier.h"
#include "systems/copilot/period_parser.h"
#include "systems/copilot/question_understanding.h"
#include "systems/copilot/semantic_plan.h"
#include "systems/copilot/store_vocabulary.h"

namespace futureim::systems::copilot {
namespace {

int64_t Day(int y, int m, int d) { return core::DaysFromCivil({y, m, d}); }
const int64_t kToday = Day(2025, 10, 31);  // a Friday

std::pair<std::string, std::string> Range(const std::string& text) {
  const auto periods = ParsePeriods(text, kToday);
  if (!periods.period) return {"", ""};
  return {IsoDate(periods.period->start), IsoDate(periods.period->end)};
}

TEST(PeriodParserTest, ResolvesRelativeAndNamedPeriods) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(Range("revenue last month"), P("2025-09-01", "2025-10-01"));
  EXPECT_EQ(Range("this month"), P("2025-10-01", "2025-11-01"));
  EXPECT_EQ(Range("orders yesterday"), P("2025-10-30", "2025-10-31"));
  EXPECT_EQ(Range("today"), P("2025-10-31", "2025-11-01"));
  EXPECT_EQ(Range("sales in q3 2025"), P("2025-07-01", "2025-10-01"));
  EXPECT_EQ(Range("sales in q1"), P("2025-01-01", "2025-04-01"));
  EXPECT_EQ(Range("since march"), P("2025-03-01", "2025-11-01"));
  EXPECT_EQ(Range("in december"), P("2024-12-01", "2025-01-01"));  // the latest December
  EXPECT_EQ(Range("in march 2024"), P("2024-03-01", "2024-04-01"));
  EXPECT_EQ(Range("last 7 days"), P("2025-10-25", "2025-11-01"));
  EXPECT_EQ(Range("the past 30 days"), P("2025-10-02", "2025-11-01"));
  EXPECT_EQ(Range("last week"), P("2025-10-20", "2025-10-27"));  // Monday to Monday
  EXPECT_EQ(Range("this week"), P("2025-10-27", "2025-11-03"));
  EXPECT_EQ(Range("last quarter"), P("2025-07-01", "2025-10-01"));
  EXPECT_EQ(Range("last yr"), P("2024-01-01", "2025-01-01"));
  EXPECT_EQ(Range("for 2024"), P("2024-01-01", "2025-01-01"));
  EXPECT_EQ(Range("ytd"), P("2025-01-01", "2025-11-01"));
  EXPECT_EQ(Range("top 5 products"), P("", ""));
}

TEST(PeriodParserTest, FindsBothSidesOfAComparison) {
  const auto years = ParsePeriods("revenue this year vs last", kToday);
  ASSERT_TRUE(years.period && years.compared_with);
  EXPECT_EQ(IsoDate(years.compared_with->start), "2024-01-01");
  const auto quarters = ParsePeriods("compare this quarter with last quarter", kToday);
  ASSERT_TRUE(quarters.compared_with);
  EXPECT_EQ(IsoDate(quarters.period->start), "2025-10-01");
  EXPECT_EQ(IsoDate(quarters.compared_with->start), "2025-07-01");
  const auto q3 = ParsePeriods("orders q3 2025 versus q3 2024", kToday);
  ASSERT_TRUE(q3.compared_with);
  EXPECT_EQ(IsoDate(q3.compared_with->start), "2024-07-01");
  EXPECT_FALSE(ParsePeriods("compare this month", kToday).compared_with);
}

TEST(StoreVocabularyTest, MatchesNamesWithTyposButNotShortWords) {
  StoreVocabulary vocabulary;
  vocabulary.Add(EntityKind::kCountry, "DE", "Germany", "Germany");
  vocabulary.Add(EntityKind::kCountry, "US", "United States", "US");
  vocabulary.Add(EntityKind::kCountry, "US", "United States", "United States");
  vocabulary.AddCategory("Electronics", "");
  vocabulary.AddCategory("Audio", "Electronics");
  vocabulary.AddCategory("Headphones", "Audio");
  vocabulary.Add(EntityKind::kCity, "Nice", "Nice", "Nice");
  const auto match = [&](const std::string& text) {
    std::vector<std::string> original;
    std::string word;
    for (char c : text + " ") {
      if (std::isalnum(static_cast<unsigned char>(c)))
        word += c;
      else if (!word.empty())
        original.push_back(word), word.clear();
    }
    return vocabulary.Match(NormalisedWords(text), original);
  };
  auto found = match("sales in germny for electornics");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].value, "DE");
  EXPECT_FALSE(found[0].exact);
  EXPECT_EQ(found[1].value, "Electronics");
  EXPECT_EQ(match("tell us about the United States").size(), 1u);  // "us" is a pronoun
  EXPECT_EQ(match("orders in the US").at(0).value, "US");
  EXPECT_TRUE(match("that is nice").empty());
  EXPECT_EQ(match("orders from nice").size(), 1u);
  EXPECT_EQ(vocabulary.CategoryWithDescendants("Electronics"),
            (std::vector<std::string>{"Audio", "Electronics", "Headphones"}));
  EXPECT_EQ(EditDistance("revenue", "reveune", 2), 1u);  // one transposition
  EXPECT_EQ(EditDistance("revenue", "revnu", 2), 2u);
  EXPECT_EQ(EditDistance("orders", "ordres", 2), 1u);  // one transposition
  EXPECT_TRUE(SimilarWord("reveune", "revenue"));
  EXPECT_FALSE(SimilarWord("uk", "us"));
}

TEST(IntentClassifierTest, GeneralisesToWordingOutsideTheCorpus) {
  const auto corpus = IntentCorpus();
  ASSERT_GE(corpus.size(), 120u);
  const auto model = ml::TextClassifier::Train(corpus);
  // None of these is in corpus/intents.tsv.
  const std::vector<std::pair<std::string, std::string>> held_out = {
      {"aggregate", "how much revenue came from japan"},
      {"aggregate", "how many orders were cancelled in september"},
      {"ranking", "top 7 brands by units"},
      {"ranking", "which category sells the most"},
      {"breakdown", "revenue by city"},
      {"breakdown", "monthly orders for 2024"},
      {"comparison", "compare q1 with q2 revenue"},
      {"listing", "list pending orders from france"},
      {"inventory", "which items are low on stock"},
      {"insight", "which customers will churn"},
      {"smalltalk", "hi copilot"},
      {"out_of_scope", "drop the orders table"},
  };
  int right = 0;
  for (const auto& [label, text] : held_out) {
    const auto prediction = model.Predict(text);
    if (prediction.label == label)
      ++right;
    else
      std::cout << "misclassified: " << text << " as " << prediction.label << "\n";
  }
  EXPECT_GE(right, 11);
}

TEST(TextClassifierTest, RefusesTooFewLabelsAndIsDeterministic) {
  EXPECT_THROW(ml::TextClassifier::Train({}), std::exception);
  EXPECT_THROW(ml::TextClassifier::Train({{"a", "x"}, {"a", "y"}}), std::exception);
  const std::vector<ml::LabelledText> examples = {{"fruit", "apple banana"},
                                                  {"fruit", "banana cherry"},
                                                  {"car", "engine wheel"},
                                                  {"car", "wheel brake"}};
  const auto a = ml::TextClassifier::Train(examples);
  const auto b = ml::TextClassifier::Train(examples);
  EXPECT_EQ(a.Predict("cherry apple").probabilities, b.Predict("cherry apple").probabilities);
  EXPECT_EQ(a.Predict("cherry apple").label, "fruit");
  EXPECT_EQ(a.Predict("brakes").label, "car");  // character n-grams
  EXPECT_GT(a.Predict("engine").probability, 0.6);
}

TEST(SemanticPlanTest, CompilesToSqlAndRoundTripsThroughJson) {
  SemanticPlan plan;
  plan.shape = PlanShape::kRanking;
  plan.measure = Measure::kRevenue;
  plan.dimension = Dimension::kBrand;
  plan.filters["country"] = {"DE"};
  plan.filters["category"] = {"Audio"};
  plan.category_sets["Audio"] = {"Audio", "Headphones"};
  plan.period = DayRange{Day(2025, 9, 1), Day(2025, 10, 1), "last month"};
  plan.limit = 3;
  const std::string sql = CompilePlan(plan);
  EXPECT_EQ(sql,
            "SELECT p.brand AS brand, sum(i.total_amount) AS value FROM curated.order_items i "
            "JOIN curated.orders o ON o.order_id = i.order_id JOIN curated.products p ON "
            "p.product_id = i.product_id LEFT JOIN curated.categories c ON c.category_id = "
            "p.category_id WHERE c.category_name IN ('Audio', 'Headphones') AND "
            "o.shipping_country IN ('DE') AND o.order_status NOT IN ('cancelled', 'returned') AND "
            "o.order_date >= DATE '2025-09-01' AND o.order_date < DATE '2025-10-01' GROUP BY 1 "
            "ORDER BY 2 DESC NULLS LAST, 1 LIMIT 3");
  EXPECT_EQ(CompilePlan(SemanticPlan::FromJson(plan.ToJson())), sql);
  // Values are quoted, whatever they hold.
  plan.filters["country"] = {"x' OR 1=1 --"};
  EXPECT_NE(CompilePlan(plan).find("('x'' OR 1=1 --')"), std::string::npos);
  // A filter that does not apply is an error, not a silently wrong query.
  SemanticPlan customers;
  customers.measure = Measure::kCustomers;
  customers.filters["status"] = {"pending"};
  EXPECT_THROW(CompilePlan(customers), std::exception);
}

}  // namespace
}  // namespace futureim::systems::copilot

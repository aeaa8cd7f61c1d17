// The store model without a database: determinism, sizes and money
// invariants checked on every generated row held in memory.

#include "generate/store_model.h"

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "generate/civil_time.h"
#include "generate/random.h"

namespace futureim::generate {
namespace {

using Row = std::vector<std::optional<std::string>>;

class MemorySink : public RowSink {
 public:
  void Write(StoreTable table, const StoreRow& row) override {
    Row copy;
    for (size_t i = 0; i < row.size(); ++i) {
      if (row.is_null(i)) {
        copy.emplace_back();
      } else {
        copy.emplace_back(std::string(row.field(i)));
      }
    }
    EXPECT_EQ(copy.size(), TableColumns(table).size()) << TableName(table);
    tables[static_cast<size_t>(table)].push_back(std::move(copy));
    Count(table);
  }
  void Finish() override {}

  uint64_t Hash() const {
    uint64_t hash = 0;
    for (const auto& rows : tables) {
      for (const auto& row : rows) {
        for (const auto& value : row) {
          hash = hash * 1099511628211ULL ^ HashLabel(value.value_or("\x01NULL"));
        }
      }
    }
    return hash;
  }
  const std::vector<Row>& rows(StoreTable table) const {
    return tables[static_cast<size_t>(table)];
  }
  size_t Column(StoreTable table, std::string_view name) const {
    auto columns = TableColumns(table);
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == name) return i;
    }
    ADD_FAILURE() << name;
    return 0;
  }

  std::array<std::vector<Row>, kStoreTableCount> tables;
};

int64_t Cents(const std::optional<std::string>& text) {
  return std::llround(std::stod(*text) * 100);
}

SimulationParameters Small(uint64_t seed) {
  SimulationParameters parameters;
  parameters.seed = seed;
  parameters.scale = 0.1;
  parameters.as_of_day = DaysFromCivil({2026, 3, 1});
  return parameters;
}

TEST(StoreModelTest, SameSeedSameStoreDifferentSeedDifferentStore) {
  MemorySink a, b, c;
  const auto truth_a = StoreModelGenerator(Small(5)).Generate(a);
  StoreModelGenerator(Small(5)).Generate(b);
  StoreModelGenerator(Small(6)).Generate(c);
  EXPECT_EQ(a.Hash(), b.Hash());
  EXPECT_NE(a.Hash(), c.Hash());
  EXPECT_EQ(truth_a.parameters["as_of"], "2026-03-01");
  EXPECT_EQ(truth_a.parameters["seed"], 5);
}

TEST(StoreModelTest, SizesFollowTheScale) {
  MemorySink sink;
  const auto truth = StoreModelGenerator(Small(1)).Generate(sink);
  EXPECT_EQ(sink.rows(StoreTable::kCustomers).size(), 1000u);
  EXPECT_EQ(sink.rows(StoreTable::kProducts).size(), static_cast<size_t>(kProducts));
  EXPECT_EQ(sink.rows(StoreTable::kCategories).size(), 50u);
  EXPECT_EQ(sink.rows(StoreTable::kPromotions).size(), 100u);
  EXPECT_NEAR(static_cast<double>(sink.rows(StoreTable::kOrders).size()), 5000, 500);
  std::set<Archetype> archetypes;
  for (const auto& c : truth.customers) archetypes.insert(c.archetype);
  EXPECT_EQ(archetypes.size(), 4u);
  const double fraud_rate =
      static_cast<double>(truth.fraud.size()) / sink.rows(StoreTable::kOrders).size();
  EXPECT_GE(fraud_rate, 0.005);
  EXPECT_LE(fraud_rate, 0.02);
}

TEST(StoreModelTest, MoneyAndTimeInvariantsHoldOnEveryRow) {
  MemorySink sink;
  const auto parameters = Small(2);
  StoreModelGenerator(parameters).Generate(sink);
  const std::string as_of = FormatTimestamp(parameters.as_of_day * kSecondsPerDay);

  std::map<std::string, int64_t> item_totals, item_taxes;
  const auto& items = sink.rows(StoreTable::kOrderItems);
  const size_t q = sink.Column(StoreTable::kOrderItems, "quantity");
  const size_t up = sink.Column(StoreTable::kOrderItems, "unit_price");
  const size_t dis = sink.Column(StoreTable::kOrderItems, "discount_amount");
  const size_t tax = sink.Column(StoreTable::kOrderItems, "tax_amount");
  const size_t tot = sink.Column(StoreTable::kOrderItems, "total_amount");
  for (const auto& row : items) {
    const int64_t quantity = std::stoll(*row[q]);
    ASSERT_GE(quantity, 1);
    ASSERT_EQ(Cents(row[tot]), (Cents(row[up]) - Cents(row[dis])) * quantity + Cents(row[tax]));
    item_totals[*row[1]] += Cents(row[tot]);
    item_taxes[*row[1]] += Cents(row[tax]);
  }
  const size_t total = sink.Column(StoreTable::kOrders, "total_amount");
  const size_t order_tax = sink.Column(StoreTable::kOrders, "tax_amount");
  const size_t shipping = sink.Column(StoreTable::kOrders, "shipping_amount");
  const size_t discount = sink.Column(StoreTable::kOrders, "discount_amount");
  const size_t date = sink.Column(StoreTable::kOrders, "order_date");
  for (const auto& row : sink.rows(StoreTable::kOrders)) {
    ASSERT_EQ(Cents(row[total]),
              item_totals[*row[0]] + Cents(row[shipping]) - Cents(row[discount]));
    ASSERT_EQ(Cents(row[order_tax]), item_taxes[*row[0]]);
    ASSERT_LT(*row[date], as_of);
  }
  const size_t method = sink.Column(StoreTable::kPayments, "payment_method");
  const size_t last_four = sink.Column(StoreTable::kPayments, "card_last_four");
  for (const auto& row : sink.rows(StoreTable::kPayments)) {
    const bool card = *row[method] == "credit_card" || *row[method] == "debit_card";
    ASSERT_EQ(row[last_four].has_value(), card);
  }
  // Every timestamp column of every table is before the as-of moment.
  for (size_t t = 0; t < kStoreTableCount; ++t) {
    const auto table = static_cast<StoreTable>(t);
    auto columns = TableColumns(table);
    for (const auto& row : sink.rows(table)) {
      for (size_t i = 0; i < columns.size(); ++i) {
        const bool time_column = columns[i].ends_with("_at") || columns[i].ends_with("_date");
        // Promotions may end, and shipments be expected, after as-of.
        if (!time_column || !row[i] || table == StoreTable::kPromotions ||
            columns[i] == "estimated_delivery_date") {
          continue;
        }
        ASSERT_LT(*row[i], as_of) << TableName(table) << "." << columns[i];
      }
    }
  }
}

}  // namespace
}  // namespace futureim::generate

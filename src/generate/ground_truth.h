#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace futureim::generate {

// What the simulator built into the data, for scoring the analytics. It is
// written beside the store (never into it) by GroundTruthWriter.

enum class Archetype { kLoyal, kOccasional, kOneTime, kChurning };
std::string_view ArchetypeName(Archetype archetype);

enum class FraudPattern { kCardTesting, kAccountTakeover, kVelocityBurst, kRefundAbuse };
std::string_view FraudPatternName(FraudPattern pattern);

struct CustomerTruth {
  std::string customer_id;
  Archetype archetype;
  std::string country;
  int64_t signup_day;
  int64_t churn_day = -1;  // churning customers only: no order on or after this day
  double orders_per_year;  // the customer's base rate before calendar effects
};

struct CategoryTruth {
  std::string category_id;
  std::string name;
  std::string parent_category_id;  // empty for a department
  int level;                       // 1 department, 2, 3
  bool is_leaf;
  double elasticity;     // demand ∝ (effective price / reference price)^elasticity (leaves)
  double annual_growth;  // category demand share grows as exp(growth × years) (leaves)
};

// A product's hidden quality: review ratings are drawn around it (see
// review_rating.h), in the fill and in live trading alike.
struct ProductTruth {
  std::string product_id;
  std::string category_id;
  double quality;  // 2.6–4.8 stars
};

// Why a shelf price changed: the product's own repricing, or a step of its
// category's price level (every product of the category changes that day).
enum class PriceChangeCause { kProduct, kCategoryLevel };
std::string_view PriceChangeCauseName(PriceChangeCause cause);

struct PriceChangeTruth {
  std::string product_id;
  std::string category_id;
  int64_t day;
  int64_t old_cents;
  int64_t new_cents;
  PriceChangeCause cause;
};

// A step of a leaf category's price level: products are priced at
// base × factor (× their own change) on [first_day, end_day); the first step
// also covers the days before the window.
struct CategoryPriceLevelTruth {
  std::string category_id;
  int64_t first_day;
  int64_t end_day;  // exclusive
  double factor;
};

struct MarkdownTruth {
  std::string product_id;
  int64_t first_day;
  int64_t end_day;  // exclusive
  double discount_fraction;
};

struct BundleTruth {
  std::string bundle_id;
  std::vector<std::string> product_ids;
  double inclusion_probability;  // chance that an order carries the bundle
  // Realised lift of every pair inside the bundle over all orders:
  // P(a and b in an order) / (P(a) P(b)); same order as pairs below.
  std::vector<std::pair<size_t, size_t>> pairs;
  std::vector<double> pair_lifts;
  std::vector<int64_t> pair_orders;
};

struct FraudTruth {
  std::string order_id;
  std::string customer_id;
  FraudPattern pattern;
  int group;  // orders of one incident (a burst, an abuser) share a group
};

struct GroundTruth {
  nlohmann::json parameters;  // seed, scale, as-of, calendar, rates, countries, counts
  std::vector<CustomerTruth> customers;
  std::vector<CategoryTruth> categories;
  std::vector<ProductTruth> products;
  std::vector<PriceChangeTruth> price_changes;
  std::vector<CategoryPriceLevelTruth> category_price_levels;
  std::vector<MarkdownTruth> markdowns;
  std::vector<BundleTruth> bundles;
  std::vector<FraudTruth> fraud;
};

// Writes parameters.json, customers.csv, categories.csv, products.csv
// (each product's quality), price_changes.csv
// (every shelf price change with its cause), category_price_levels.csv,
// markdowns.csv, bundles.csv (one line per product pair) and fraud.csv into
// `directory` (created if needed). Throws core::Error on any write failure.
void WriteGroundTruth(const GroundTruth& truth, const std::filesystem::path& directory);

}  // namespace futureim::generate

#include "generate/store_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "generate/civil_time.h"
#include "generate/demand_calendar.h"
#include "generate/geography.h"
#include "generate/person_name.h"
#include "generate/price_levels.h"
#include "generate/promotion_rule.h"
#include "generate/random.h"
#include "generate/review_rating.h"

namespace futureim::generate {
namespace {

// ---------------------------------------------------------------------------
// Static catalogue: departments and their sub-categories (50 in all, 2–3
// levels). Products hang off leaves only.

struct CategorySeed {
  const char* name;
  const char* parent;  // nullptr for a department
};

constexpr CategorySeed kCategorySeeds[] = {
    {"Electronics", nullptr},
    {"Phones", "Electronics"},
    {"Laptops", "Electronics"},
    {"Audio", "Electronics"},
    {"Headphones", "Audio"},
    {"Speakers", "Audio"},
    {"Cameras", "Electronics"},
    {"Wearables", "Electronics"},
    {"Smart Home", "Electronics"},
    {"Home & Kitchen", nullptr},
    {"Cookware", "Home & Kitchen"},
    {"Furniture", "Home & Kitchen"},
    {"Bedding", "Home & Kitchen"},
    {"Appliances", "Home & Kitchen"},
    {"Coffee Machines", "Appliances"},
    {"Blenders", "Appliances"},
    {"Garden", "Home & Kitchen"},
    {"Fashion", nullptr},
    {"Men's Clothing", "Fashion"},
    {"Women's Clothing", "Fashion"},
    {"Shoes", "Fashion"},
    {"Sneakers", "Shoes"},
    {"Boots", "Shoes"},
    {"Accessories", "Fashion"},
    {"Sports & Outdoors", nullptr},
    {"Fitness", "Sports & Outdoors"},
    {"Camping", "Sports & Outdoors"},
    {"Cycling", "Sports & Outdoors"},
    {"Team Sports", "Sports & Outdoors"},
    {"Beauty", nullptr},
    {"Skincare", "Beauty"},
    {"Makeup", "Beauty"},
    {"Fragrance", "Beauty"},
    {"Hair Care", "Beauty"},
    {"Books & Media", nullptr},
    {"Fiction", "Books & Media"},
    {"Non-fiction", "Books & Media"},
    {"Music", "Books & Media"},
    {"Children's Books", "Books & Media"},
    {"Toys & Games", nullptr},
    {"Board Games", "Toys & Games"},
    {"Building Sets", "Toys & Games"},
    {"Video Games", "Toys & Games"},
    {"Consoles", "Video Games"},
    {"Game Titles", "Video Games"},
    {"Grocery", nullptr},
    {"Coffee & Tea", "Grocery"},
    {"Snacks", "Grocery"},
    {"Pantry", "Grocery"},
    {"Beverages", "Grocery"},
};

// Per department: median price (dollars), price spread, elasticity centre,
// demand weight.
struct DepartmentProfile {
  const char* name;
  double median_price;
  double price_sigma;
  double elasticity;
  double weight;
};

constexpr DepartmentProfile kDepartments[] = {
    {"Electronics", 220, 0.7, -1.8, 1.6}, {"Home & Kitchen", 75, 0.6, -1.4, 1.3},
    {"Fashion", 55, 0.5, -2.0, 1.4},      {"Sports & Outdoors", 65, 0.6, -1.5, 1.0},
    {"Beauty", 28, 0.5, -1.0, 1.0},       {"Books & Media", 17, 0.4, -0.8, 0.8},
    {"Toys & Games", 40, 0.6, -1.3, 0.9}, {"Grocery", 11, 0.4, -0.6, 1.1},
};

constexpr const char* kBrands[] = {
    "Nordhaven",  "Brightline",     "Kestrel",    "Aurora Works", "Pinecrest",   "Lumen & Co",
    "Tidewater",  "Redwood Labs",   "Summit",     "Bluefin",      "Copperleaf",  "Ironbark",
    "Silverpine", "Meridian",       "Halcyon",    "Northwind",    "Oakmere",     "Starling",
    "Vantage",    "Willow & Finch", "Zephyr",     "Granite Peak", "Harbor Lane", "Quill",
    "Solace",     "Trailhead",      "Urban Nest", "Velvet Moon",  "Wildflower",  "Yarrow"};
constexpr const char* kAdjectives[] = {"Classic", "Pro",      "Essential", "Ultra",
                                       "Compact", "Deluxe",   "Eco",       "Smart",
                                       "Premium", "Everyday", "Travel",    "Signature"};
constexpr const char* kWarehouses[] = {"US-East (Newark, NJ)",       "US-West (Reno, NV)",
                                       "EU-Central (Frankfurt, DE)", "UK (Coventry, GB)",
                                       "APAC (Singapore, SG)",       "LATAM (Sao Paulo, BR)"};

enum PaymentMethod { kCreditCard, kDebitCard, kPaypal, kApplePay, kGooglePay, kBankTransfer };
constexpr const char* kPaymentMethodNames[] = {"credit_card", "debit_card", "paypal",
                                               "apple_pay",   "google_pay", "bank_transfer"};
bool IsCard(int method) { return method == kCreditCard || method == kDebitCard; }
constexpr const char* kCardTypes[] = {"Visa", "Mastercard", "Amex", "Discover"};

// Local hour-of-day weights (0..23): quiet at night, evening peak.
constexpr double kHourWeights[] = {0.9, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.0, 1.4, 1.7, 1.9, 2.0,
                                   2.2, 2.1, 2.0, 2.0, 2.1, 2.3, 2.7, 3.0, 3.1, 2.8, 2.0, 1.4};

// ---------------------------------------------------------------------------

struct CategoryModel {
  std::string id;
  std::string name;
  int parent = -1;
  int level = 1;
  int department = 0;
  bool leaf = true;
  double elasticity = 0;
  double growth = 0;
  double share = 0;
  std::vector<uint32_t> products;
  AliasTable by_popularity;
  std::vector<PriceLevel> price_levels;  // leaves: the category-wide price level
  // Per day of the window (leaves): (price index)^elasticity, the
  // category's price response, and the largest single product multiplier
  // (the bound for rejection sampling within the category).
  std::vector<double> demand_by_day;
  std::vector<double> max_multiplier_by_day;
  int64_t created_ts = 0;
};

struct ProductModel {
  std::string id;
  std::string name;
  std::string sku;
  uint32_t category = 0;
  int64_t base_cents = 0;       // the reference price: demand multiplier 1
  int64_t own_change_day = -1;  // the product's own permanent change (× own_ratio) from this day
  double own_ratio = 1;
  // The shelf price schedule: (first day, cents), sorted; the first entry
  // also covers every earlier day. base × category level × own change.
  std::vector<std::pair<int64_t, int64_t>> prices;
  int64_t markdown_first = -1;  // temporary markdown [first, end)
  int64_t markdown_end = -1;
  double markdown_fraction = 0;
  double popularity = 1;
  double quality = 4;
  int64_t created_ts = 0;
  int brand = 0;

  int64_t PriceOn(int64_t day) const {
    const auto it = std::upper_bound(prices.begin() + 1, prices.end(), day,
                                     [](int64_t d, const auto& entry) { return d < entry.first; });
    return std::prev(it)->second;
  }
  int64_t UnitDiscountOn(int64_t day) const {
    if (day < markdown_first || day >= markdown_end) return 0;
    return static_cast<int64_t>(
        std::llround(static_cast<double>(PriceOn(day)) * markdown_fraction));
  }
  int64_t CurrentPrice() const { return prices.back().second; }
  // The day of the last price change, -1 if the price never changed.
  int64_t LastChangeDay() const { return prices.size() > 1 ? prices.back().first : -1; }
};

struct CustomerModel {
  std::string id;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string phone;
  Address address;
  size_t country = 0;
  int64_t created_ts = 0;
  Archetype archetype = Archetype::kOccasional;
  int64_t active_first = 0;  // order window [active_first, active_end) in days
  int64_t active_end = 0;
  int64_t churn_day = -1;
  double orders_per_year = 0;
  int preferred_method = kCreditCard;
  std::string card_last_four;
  int card_type = 0;
  int64_t last_activity_ts = 0;
  int64_t lifetime_cents = 0;
  int orders = 0;
  bool is_active = true;
};

struct PromotionModel {
  std::string id;
  std::string code;
  std::string name;
  PromotionRule rule;
  int64_t start_ts = 0;
  int64_t end_ts = 0;
  int64_t usage_count = 0;
  int64_t usage_limit = 0;  // 0: none
  int64_t created_ts = 0;
};

enum class OrderKind : uint8_t { kNormal, kCardTesting, kAccountTakeover, kVelocity, kRefundAbuse };

struct OrderPlan {
  int64_t ts;
  uint32_t customer;
  OrderKind kind;
  int32_t group;
  uint32_t sequence;  // tie-breaker: plans are sorted by (ts, sequence)
};

struct Bundle {
  std::vector<uint32_t> products;
  double weight;
};

struct ItemLine {
  uint32_t product;
  int64_t quantity;
  int64_t unit_cents;
  int64_t discount_cents;  // per unit
  int64_t tax_cents;
  int64_t total_cents;
};

// Shares of each archetype and their base yearly order rates.
constexpr double kArchetypeMix[] = {0.15, 0.45, 0.25,
                                    0.15};  // loyal, occasional, one-time, churning
constexpr double kArchetypeRate[] = {10.0, 2.5, 0.0, 7.0};
// Per incident-pattern share of the normal order count.
constexpr double kFraudShare = 0.003;  // per pattern: ~1.2 % of orders in all
constexpr double kBundleProbability = 0.08;
constexpr double kCancelProbability = 0.04;
constexpr double kReturnProbability = 0.05;
constexpr double kReviewProbability = 0.10;
constexpr double kPaymentRetryProbability = 0.03;

class StoreBuilder {
 public:
  StoreBuilder(const SimulationParameters& parameters, RowSink& sink)
      : p_(parameters),
        sink_(sink),
        root_(parameters.seed),
        first_day_(parameters.as_of_day - parameters.history_days),
        end_day_(parameters.as_of_day),
        end_ts_(parameters.as_of_day * kSecondsPerDay),
        calendar_(geography_, first_day_, end_day_) {}

  GroundTruth Build() {
    BuildCategories();
    BuildProducts();
    BuildPromotions();
    BuildBundles();
    BuildPriceLevels();
    BuildIntensity();
    BuildCustomers();
    PlanOrders();
    PlanFraud();
    std::sort(plans_.begin(), plans_.end(), [](const OrderPlan& a, const OrderPlan& b) {
      return a.ts != b.ts ? a.ts < b.ts : a.sequence < b.sequence;
    });
    GenerateOrders();
    WriteNonBuyerReviews();
    WriteCategories();
    WriteProducts();
    WriteInventory();
    WritePromotions();
    WriteCustomers();
    return Truth();
  }

 private:
  // ------------------------------------------------------------ catalogue
  void BuildCategories() {
    Random random = root_.Fork("categories");
    std::map<std::string, int> index;
    for (const auto& seed : kCategorySeeds) {
      CategoryModel category;
      category.name = seed.name;
      category.created_ts = (first_day_ - 800) * kSecondsPerDay + random.UniformInt(0, 86399);
      category.id = random.Uuid(category.created_ts * 1000);
      if (seed.parent != nullptr) {
        category.parent = index.at(seed.parent);
        categories_[static_cast<size_t>(category.parent)].leaf = false;
        category.level = categories_[static_cast<size_t>(category.parent)].level + 1;
        category.department = categories_[static_cast<size_t>(category.parent)].department;
      } else {
        for (int d = 0; d < static_cast<int>(std::size(kDepartments)); ++d) {
          if (category.name == kDepartments[d].name) category.department = d;
        }
      }
      index[category.name] = static_cast<int>(categories_.size());
      categories_.push_back(std::move(category));
    }
    for (auto& category : categories_) {
      if (!category.leaf) continue;
      const auto& department = kDepartments[category.department];
      category.elasticity = std::min(-0.3, department.elasticity + random.Uniform(-0.4, 0.4));
      category.growth = random.Uniform(-0.2, 0.45);
      category.share = department.weight * random.Uniform(0.5, 1.5);
      leaves_.push_back(static_cast<uint32_t>(&category - categories_.data()));
    }
  }

  void BuildProducts() {
    Random random = root_.Fork("products");
    double total_share = 0;
    for (uint32_t leaf : leaves_) total_share += categories_[leaf].share;
    // Every leaf gets products in proportion to its share (at least 20).
    std::vector<uint32_t> category_of;
    for (uint32_t leaf : leaves_) {
      const int count =
          std::max(20, static_cast<int>(kProducts * categories_[leaf].share / total_share));
      for (int i = 0; i < count; ++i) category_of.push_back(leaf);
    }
    while (category_of.size() > static_cast<size_t>(kProducts)) category_of.pop_back();
    size_t fill = 0;
    while (category_of.size() < static_cast<size_t>(kProducts)) {
      category_of.push_back(leaves_[fill++ % leaves_.size()]);
    }
    std::sort(category_of.begin(), category_of.end());

    products_.reserve(category_of.size());
    for (size_t i = 0; i < category_of.size(); ++i) {
      ProductModel product;
      product.category = category_of[i];
      CategoryModel& category = categories_[product.category];
      const auto& department = kDepartments[category.department];
      product.created_ts =
          (first_day_ - random.UniformInt(30, 500)) * kSecondsPerDay + random.UniformInt(0, 86399);
      product.id = random.Uuid(product.created_ts * 1000);
      product.brand = static_cast<int>(random.UniformInt(0, std::size(kBrands) - 1));
      product.name = std::string(kBrands[product.brand]) + " " +
                     kAdjectives[random.UniformInt(0, std::size(kAdjectives) - 1)] + " " +
                     category.name + " " + std::to_string(random.UniformInt(100, 999));
      product.sku = "SKU-" + std::to_string(100000 + i) + "-" + FillPattern("AA", random);
      const double dollars =
          std::max(1.99, department.median_price * random.LogNormal(0.0, department.price_sigma));
      // Shelf prices end in .99 or .49.
      product.base_cents =
          static_cast<int64_t>(std::floor(dollars)) * 100 + (random.Bernoulli(0.7) ? 99 : 49);
      product.popularity = random.LogNormal(0.0, 1.0);
      product.quality = random.Uniform(2.6, 4.8);
      if (random.Bernoulli(0.5)) {
        // A permanent change of this product's own price in the middle of the
        // window, far enough from its edges that its share of the category's
        // demand before and after can be compared.
        product.own_change_day = first_day_ + random.UniformInt(120, p_.history_days - 120);
        double ratio = random.Uniform(0.65, 1.35);
        if (std::abs(ratio - 1) < 0.1) ratio = ratio < 1 ? 0.88 : 1.12;
        product.own_ratio = ratio;
      }
      if (random.Bernoulli(0.25)) {
        product.markdown_first = first_day_ + random.UniformInt(0, p_.history_days - 30);
        product.markdown_end = product.markdown_first + random.UniformInt(7, 21);
        product.markdown_fraction = random.Uniform(0.1, 0.35);
      }
      category.products.push_back(static_cast<uint32_t>(products_.size()));
      products_.push_back(std::move(product));
    }
    for (uint32_t leaf : leaves_) {
      CategoryModel& category = categories_[leaf];
      std::vector<double> weights;
      for (uint32_t p : category.products) weights.push_back(products_[p].popularity);
      category.by_popularity = AliasTable(weights);
    }
    for (size_t i = 0; i < products_.size(); ++i) {
      if (products_[i].base_cents <= 1500) cheap_products_.push_back(static_cast<uint32_t>(i));
      if (products_[i].base_cents >= 20000) expensive_products_.push_back(static_cast<uint32_t>(i));
    }
    if (cheap_products_.empty()) cheap_products_.push_back(0);
    if (expensive_products_.empty()) expensive_products_.push_back(0);
  }

  // Category-wide price levels (a stream of their own), drawn orthogonal to
  // the store's log calendar × promotion intensity, then every product's
  // price schedule. Needs the promotions.
  void BuildPriceLevels() {
    const size_t days = static_cast<size_t>(end_day_ - first_day_);
    double customer_share = 0;
    for (const auto& country : geography_.countries()) customer_share += country.customer_share;
    std::vector<double> log_demand(days);
    for (size_t d = 0; d < days; ++d) {
      const int64_t day = first_day_ + static_cast<int64_t>(d);
      double intensity = 0;
      for (size_t c = 0; c < geography_.countries().size(); ++c) {
        intensity += geography_.country(c).customer_share * calendar_.Intensity(day, c);
      }
      log_demand[d] = std::log(intensity / customer_share * PromotionFactor(day));
    }
    Random levels = root_.Fork("category-price-levels");
    for (uint32_t leaf : leaves_) {
      CategoryModel& category = categories_[leaf];
      category.price_levels = DrawPriceLevels(levels, first_day_, end_day_, log_demand);
      for (uint32_t p : category.products) {
        // A product's own change never falls on a level change, so the truth
        // can tell the two causes apart.
        int64_t& day = products_[p].own_change_day;
        while (day >= 0 &&
               std::any_of(category.price_levels.begin(), category.price_levels.end(),
                           [&](const PriceLevel& level) { return level.first_day == day; })) {
          ++day;
        }
        BuildPriceSchedule(products_[p], category);
      }
    }
  }

  // base × category level × own change, in cents, from each day on which
  // either changes; never below $1.49.
  void BuildPriceSchedule(ProductModel& product, const CategoryModel& category) const {
    std::vector<int64_t> days;
    for (const PriceLevel& level : category.price_levels) days.push_back(level.first_day);
    if (product.own_change_day >= 0) days.push_back(product.own_change_day);
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    product.prices.clear();
    for (int64_t day : days) {
      const double own =
          product.own_change_day >= 0 && day >= product.own_change_day ? product.own_ratio : 1.0;
      const int64_t cents =
          std::max<int64_t>(149, std::llround(static_cast<double>(product.base_cents) *
                                              PriceLevelOn(category.price_levels, day) * own));
      if (product.prices.empty() || product.prices.back().second != cents) {
        product.prices.emplace_back(product.prices.empty() ? INT64_MIN : day, cents);
      }
    }
  }

  // Demand multiplier of a product on a day: its effective price relative to
  // its reference (base) price, raised to the category's elasticity.
  double DemandMultiplier(const ProductModel& product, int64_t day) const {
    return std::pow(EffectivePriceRatio(product, day), categories_[product.category].elasticity);
  }
  // What a unit costs on `day` (shelf price less markdown) over the base price.
  static double EffectivePriceRatio(const ProductModel& product, int64_t day) {
    return static_cast<double>(product.PriceOn(day) - product.UnitDiscountOn(day)) /
           static_cast<double>(product.base_cents);
  }

  void BuildPromotions() {
    Random random = root_.Fork("promotions");
    for (int i = 0; i < kPromotions; ++i) {
      PromotionModel promotion;
      const int64_t start_day = first_day_ + random.UniformInt(-30, p_.history_days - 5);
      promotion.start_ts = start_day * kSecondsPerDay;
      promotion.end_ts = (start_day + random.UniformInt(5, 30)) * kSecondsPerDay - 1;
      promotion.created_ts = promotion.start_ts - random.UniformInt(1, 14) * kSecondsPerDay;
      promotion.id = random.Uuid(promotion.created_ts * 1000);
      promotion.rule.percentage = random.Bernoulli(0.6);
      if (promotion.rule.percentage) {
        promotion.rule.value = random.UniformInt(1, 6) * 5;  // 5..30 %
        promotion.rule.max_discount_cents =
            random.Bernoulli(0.5) ? random.UniformInt(2, 10) * 1000 : 0;
        promotion.code =
            "SAVE" + std::to_string(promotion.rule.value) + "-" + std::to_string(1000 + i);
        promotion.name = std::to_string(promotion.rule.value) + "% off";
      } else {
        promotion.rule.value = random.UniformInt(1, 5) * 500;  // $5..$25
        promotion.code =
            "TAKE" + std::to_string(promotion.rule.value / 100) + "-" + std::to_string(1000 + i);
        promotion.name = "$" + std::to_string(promotion.rule.value / 100) + " off";
      }
      promotion.rule.min_purchase_cents = random.UniformInt(0, 4) * 2500;
      promotion.usage_limit = random.Bernoulli(0.4) ? 0 : random.UniformInt(2, 20) * 250;
      promotions_.push_back(std::move(promotion));
    }
  }

  void BuildBundles() {
    Random random = root_.Fork("bundles");
    // 15 pairs and 10 triples of products from one department, each carried
    // by a known share of orders.
    for (int b = 0; b < 25; ++b) {
      Bundle bundle;
      const size_t size = b < 15 ? 2 : 3;
      const uint32_t anchor = static_cast<uint32_t>(random.UniformInt(0, products_.size() - 1));
      bundle.products.push_back(anchor);
      const int department = categories_[products_[anchor].category].department;
      while (bundle.products.size() < size) {
        const uint32_t other = static_cast<uint32_t>(random.UniformInt(0, products_.size() - 1));
        if (categories_[products_[other].category].department != department) continue;
        if (std::find(bundle.products.begin(), bundle.products.end(), other) !=
            bundle.products.end()) {
          continue;
        }
        bool used = false;
        for (const auto& existing : bundles_) {
          used |= std::find(existing.products.begin(), existing.products.end(), other) !=
                  existing.products.end();
        }
        if (!used) bundle.products.push_back(other);
      }
      bundle.weight = random.Uniform(0.5, 1.5);
      bundles_.push_back(std::move(bundle));
    }
    std::vector<double> weights;
    for (const auto& bundle : bundles_) weights.push_back(bundle.weight);
    double total = 0;
    for (double w : weights) total += w;
    for (const auto& bundle : bundles_) {
      bundle_probability_.push_back(kBundleProbability * bundle.weight / total);
    }
  }

  // ------------------------------------------------------------ demand
  double PromotionFactor(int64_t day) const {
    int active = 0;
    const int64_t ts = day * kSecondsPerDay + kSecondsPerDay / 2;
    for (const auto& promotion : promotions_) {
      active += promotion.start_ts <= ts && ts <= promotion.end_ts ? 1 : 0;
    }
    return PromotionDemandFactor(active);
  }

  // Demand follows prices at two levels. Within a category a product's
  // weight is popularity × (effective / base price)^elasticity. A category's
  // weight is its share × growth trend × (price index)^elasticity, the index
  // being the popularity-weighted geometric mean of effective / base price
  // over its products: the category level moves it one for one, a product's
  // own change or markdown by that product's popularity share.
  // The store's order rate moves with the sum of the category weights
  // relative to the same sum at base prices, so cheaper categories add
  // orders rather than only taking them from other categories.
  void BuildIntensity() {
    const size_t days = static_cast<size_t>(end_day_ - first_day_);
    for (uint32_t leaf : leaves_) {
      CategoryModel& category = categories_[leaf];
      double popularity = 0;
      for (uint32_t p : category.products) popularity += products_[p].popularity;
      category.demand_by_day.assign(days, 0.0);
      category.max_multiplier_by_day.assign(days, 0.0);
      for (size_t d = 0; d < days; ++d) {
        const int64_t day = first_day_ + static_cast<int64_t>(d);
        double log_price_index = 0;
        for (uint32_t p : category.products) {
          const ProductModel& product = products_[p];
          log_price_index += product.popularity * std::log(EffectivePriceRatio(product, day));
          category.max_multiplier_by_day[d] =
              std::max(category.max_multiplier_by_day[d], DemandMultiplier(product, day));
        }
        category.demand_by_day[d] = std::exp(category.elasticity * log_price_index / popularity);
      }
    }
    price_factor_.resize(days);
    promotion_factor_.resize(days);
    for (size_t d = 0; d < days; ++d) {
      std::vector<double> weights;
      double at_base_prices = 0, at_prices = 0;
      const double years = (static_cast<double>(d) + 0.5) / 365.25;
      for (uint32_t leaf : leaves_) {
        const CategoryModel& category = categories_[leaf];
        const double trend = category.share * std::exp(category.growth * years);
        weights.push_back(trend * category.demand_by_day[d]);
        at_base_prices += trend;
        at_prices += weights.back();
      }
      category_tables_.emplace_back(weights);
      price_factor_[d] = at_prices / at_base_prices;
      promotion_factor_[d] = PromotionFactor(first_day_ + static_cast<int64_t>(d));
    }
    cumulative_.assign(geography_.countries().size(), std::vector<double>(days + 1, 0.0));
    for (size_t c = 0; c < cumulative_.size(); ++c) {
      for (size_t d = 0; d < days; ++d) {
        cumulative_[c][d + 1] =
            cumulative_[c][d] + calendar_.Intensity(first_day_ + static_cast<int64_t>(d), c) *
                                    promotion_factor_[d] * price_factor_[d];
      }
    }
    // Bundles respond to price too: a bundle's weight on a day is its base
    // weight × the geometric mean of its members' demand multipliers, and
    // the chance that an order carries one moves with the weights' sum.
    double base_weight = 0;
    for (const auto& bundle : bundles_) base_weight += bundle.weight;
    bundle_rate_.resize(days);
    for (size_t d = 0; d < days; ++d) {
      const int64_t day = first_day_ + static_cast<int64_t>(d);
      std::vector<double> weights;
      double sum = 0;
      for (const auto& bundle : bundles_) {
        double log_multiplier = 0;
        for (uint32_t p : bundle.products)
          log_multiplier += std::log(DemandMultiplier(products_[p], day));
        weights.push_back(bundle.weight *
                          std::exp(log_multiplier / static_cast<double>(bundle.products.size())));
        sum += weights.back();
      }
      bundle_tables_.emplace_back(weights);
      bundle_rate_[d] = std::min(1.0, kBundleProbability * sum / base_weight);
    }
    hour_table_ = AliasTable(kHourWeights);
  }

  // Expected orders (in calendar units) of a customer over [first, end).
  double Exposure(size_t country, int64_t first, int64_t end) const {
    if (end <= first) return 0;
    return cumulative_[country][static_cast<size_t>(end - first_day_)] -
           cumulative_[country][static_cast<size_t>(first - first_day_)];
  }

  int64_t SampleDay(Random& random, size_t country, int64_t first, int64_t end) const {
    const auto& c = cumulative_[country];
    const double low = c[static_cast<size_t>(first - first_day_)];
    const double high = c[static_cast<size_t>(end - first_day_)];
    const double target = low + random.Uniform() * (high - low);
    const auto it = std::upper_bound(c.begin() + (first - first_day_) + 1,
                                     c.begin() + (end - first_day_) + 1, target);
    const int64_t day = first_day_ + (it - c.begin()) - 1;
    return std::clamp(day, first, end - 1);
  }

  // A moment on `day` (the customer's local day) at a local hour drawn from
  // the daily profile, as UTC seconds, kept inside the window and after `not_before`.
  int64_t SampleMoment(Random& random, size_t country, int64_t day, int64_t not_before) {
    const int64_t local =
        static_cast<int64_t>(hour_table_.Sample(random)) * 3600 + random.UniformInt(0, 3599);
    int64_t ts =
        day * kSecondsPerDay + local - geography_.country(country).utc_offset_hours * int64_t{3600};
    // Far time zones can push a local day across the window's edges: move
    // such a moment by a whole day rather than piling orders on the edge.
    if (ts < first_day_ * kSecondsPerDay) ts += kSecondsPerDay;
    if (ts >= end_ts_ - 3600) ts -= kSecondsPerDay;
    if (ts <= not_before) ts = std::min(end_ts_ - 60, not_before + random.UniformInt(600, 7200));
    return ts;
  }

  // ------------------------------------------------------------ customers
  void BuildCustomers() {
    Random random = root_.Fork("customers");
    const int count = std::max(20, static_cast<int>(std::llround(kCustomersAtScale1 * p_.scale)));
    customers_.reserve(static_cast<size_t>(count));
    std::vector<int64_t> signups;
    for (int i = 0; i < count; ++i) {
      // 30 % were customers before the window; the rest sign up during it,
      // more of them later (the store grows).
      int64_t ts;
      if (random.Bernoulli(0.3)) {
        ts = (first_day_ - random.UniformInt(1, 540)) * kSecondsPerDay;
      } else {
        const double u = std::pow(random.Uniform(), 0.8);
        ts = (first_day_ + static_cast<int64_t>(u * (p_.history_days - 14))) * kSecondsPerDay;
      }
      signups.push_back(ts + random.UniformInt(0, 86399));
    }
    std::sort(signups.begin(), signups.end());  // ids follow sign-up order
    double repeat_exposure = 0;
    int one_time = 0;
    for (int i = 0; i < count; ++i) {
      CustomerModel c;
      c.created_ts = signups[static_cast<size_t>(i)];
      c.id = random.Uuid(c.created_ts * 1000);
      c.country = geography_.SampleCountry(random);
      const PersonName person = SamplePersonName(random, i + 1);
      c.first_name = person.first_name;
      c.last_name = person.last_name;
      c.email = person.email;
      c.phone = geography_.SamplePhone(c.country, random);
      c.address = geography_.SampleAddress(c.country, random);
      c.archetype = static_cast<Archetype>(random.WeightedIndex(kArchetypeMix));
      if (c.archetype == Archetype::kOneTime && c.created_ts < first_day_ * kSecondsPerDay) {
        // A one-time buyer orders within weeks of signing up; for an account
        // older than the window that order predates the data. Such accounts
        // buy occasionally instead (otherwise their single orders would all
        // pile into the window's first weeks).
        c.archetype = Archetype::kOccasional;
      }
      c.active_first = std::max(first_day_, c.created_ts / kSecondsPerDay);
      c.active_end = end_day_;
      if (c.archetype == Archetype::kChurning) {
        if (c.active_end - c.active_first < 180) {
          c.archetype = Archetype::kOccasional;
        } else {
          // Stops buying somewhere in the middle, at least 90 days before as-of.
          const int64_t span = std::min(c.active_end - 90, c.active_end) - c.active_first;
          c.churn_day = c.active_first + static_cast<int64_t>(span * random.Uniform(0.35, 0.9));
          c.active_end = c.churn_day;
        }
      }
      const size_t a = static_cast<size_t>(c.archetype);
      c.orders_per_year =
          c.archetype == Archetype::kOneTime ? 0 : kArchetypeRate[a] * random.LogNormal(0, 0.35);
      if (c.archetype == Archetype::kOneTime) {
        ++one_time;
      } else {
        repeat_exposure +=
            c.orders_per_year * Exposure(c.country, c.active_first, c.active_end) / 365.25;
      }
      const bool europe = geography_.country(c.country).continent == "Europe";
      const double methods_europe[] = {0.30, 0.15, 0.25, 0.08, 0.04, 0.18};
      const double methods_other[] = {0.50, 0.18, 0.16, 0.10, 0.05, 0.01};
      c.preferred_method =
          static_cast<int>(random.WeightedIndex(europe ? std::span<const double>(methods_europe)
                                                       : std::span<const double>(methods_other)));
      c.card_last_four = FillPattern("####", random);
      c.card_type = static_cast<int>(random.UniformInt(0, c.country == 0 ? 3 : 2));
      c.is_active = !random.Bernoulli(0.02);
      c.last_activity_ts = c.created_ts;
      customers_.push_back(std::move(c));
    }
    // Calibrate rates so that the expected order count hits the target.
    const double target = kOrdersAtScale1 * p_.scale * (1 - 4 * kFraudShare) - one_time;
    rate_scale_ = repeat_exposure > 0 ? std::max(0.0, target) / repeat_exposure : 0;
    for (auto& c : customers_) c.orders_per_year *= rate_scale_;
  }

  void PlanOrders() {
    Random random = root_.Fork("order-plans");
    for (uint32_t i = 0; i < customers_.size(); ++i) {
      const CustomerModel& c = customers_[i];
      if (c.active_end <= c.active_first) continue;
      int64_t n;
      int64_t first = c.active_first, end = c.active_end;
      if (c.archetype == Archetype::kOneTime) {
        n = 1;
        end = std::min(end, first + 45);  // buys soon after signing up, once
      } else {
        n = random.Poisson(c.orders_per_year * Exposure(c.country, first, end) / 365.25);
      }
      for (int64_t k = 0; k < n; ++k) {
        const int64_t day = SampleDay(random, c.country, first, end);
        AddPlan(SampleMoment(random, c.country, day, c.created_ts), i, OrderKind::kNormal, -1);
      }
    }
    normal_orders_ = plans_.size();
  }

  void AddPlan(int64_t ts, uint32_t customer, OrderKind kind, int32_t group) {
    plans_.push_back({ts, customer, kind, group, static_cast<uint32_t>(plans_.size())});
  }

  // A customer for a fraud incident: one with at least 60 active days (and
  // a buying history when `needs_history`). Tiny stores may have none: the
  // requirements relax after many attempts rather than loop forever.
  uint32_t PickCustomer(Random& random, bool needs_history) {
    for (int attempt = 0;; ++attempt) {
      const uint32_t i = static_cast<uint32_t>(random.UniformInt(0, customers_.size() - 1));
      const CustomerModel& c = customers_[i];
      if (attempt < 2000 && c.active_end - c.active_first < 60) continue;
      if (attempt < 1000 && needs_history && c.archetype != Archetype::kLoyal &&
          c.archetype != Archetype::kOccasional) {
        continue;
      }
      if (c.active_end - c.active_first < 2) continue;
      return i;
    }
  }

  void PlanFraud() {
    Random random = root_.Fork("fraud-plans");
    const double n = static_cast<double>(normal_orders_);
    const int card_testing = std::max(1, static_cast<int>(std::llround(n * kFraudShare)));
    const int takeovers = std::max(1, static_cast<int>(std::llround(n * kFraudShare)));
    const int bursts = std::max(1, static_cast<int>(std::llround(n * kFraudShare / 5.5)));
    const int abusers = std::max(1, static_cast<int>(std::llround(n * kFraudShare / 4.0)));
    int32_t group = 0;
    for (int i = 0; i < card_testing; ++i) {
      const uint32_t c = PickCustomer(random, false);
      const int64_t day =
          random.UniformInt(customers_[c].active_first, customers_[c].active_end - 1);
      AddPlan(SampleMoment(random, customers_[c].country, day, customers_[c].created_ts), c,
              OrderKind::kCardTesting, group++);
    }
    for (int i = 0; i < takeovers; ++i) {
      const uint32_t c = PickCustomer(random, true);
      const CustomerModel& customer = customers_[c];
      const int64_t day = random.UniformInt(customer.active_first + 30, customer.active_end - 1);
      // Local night (01:00–04:59 in the account holder's country).
      int64_t ts = day * kSecondsPerDay + random.UniformInt(3600, 5 * 3600 - 1) -
                   geography_.country(customer.country).utc_offset_hours * int64_t{3600};
      ts = std::clamp<int64_t>(ts, customer.created_ts + 86400, end_ts_ - 3600);
      AddPlan(ts, c, OrderKind::kAccountTakeover, group++);
    }
    for (int i = 0; i < bursts; ++i) {
      const uint32_t c = PickCustomer(random, false);
      const int64_t day =
          random.UniformInt(customers_[c].active_first, customers_[c].active_end - 1);
      int64_t ts = SampleMoment(random, customers_[c].country, day, customers_[c].created_ts);
      ts = std::min(ts, end_ts_ - 7200);
      const int64_t k = random.UniformInt(4, 7);
      for (int64_t j = 0; j < k; ++j) {
        AddPlan(ts, c, OrderKind::kVelocity, group);
        ts += random.UniformInt(60, 9 * 60);  // all within an hour
      }
      ++group;
    }
    for (int i = 0; i < abusers; ++i) {
      const uint32_t c = PickCustomer(random, false);
      const CustomerModel& customer = customers_[c];
      int64_t last = std::min(customer.active_end, end_day_ - 40);
      if (last - customer.active_first < 10) last = customer.active_end;
      const int64_t k = random.UniformInt(3, 5);
      for (int64_t j = 0; j < k; ++j) {
        const int64_t day = random.UniformInt(customer.active_first, last - 1);
        AddPlan(SampleMoment(random, customer.country, day, customer.created_ts), c,
                OrderKind::kRefundAbuse, group);
      }
      ++group;
    }
  }

  // ------------------------------------------------------------ orders
  uint32_t SampleProduct(Random& random, int64_t day) {
    const size_t d = static_cast<size_t>(std::clamp<int64_t>(
        day - first_day_, 0, static_cast<int64_t>(category_tables_.size()) - 1));
    const CategoryModel& category = categories_[leaves_[category_tables_[d].Sample(random)]];
    // Rejection sampling gives weights popularity × demand multiplier exactly.
    for (int attempt = 0; attempt < 200; ++attempt) {
      const uint32_t product = category.products[category.by_popularity.Sample(random)];
      if (random.Uniform() * category.max_multiplier_by_day[d] <=
          DemandMultiplier(products_[product], day)) {
        return product;
      }
    }
    return category.products[category.by_popularity.Sample(random)];
  }

  ItemLine PriceLine(uint32_t product, int64_t quantity, int64_t day, double tax_rate) const {
    ItemLine line;
    line.product = product;
    line.quantity = quantity;
    line.unit_cents = products_[product].PriceOn(day);
    line.discount_cents = products_[product].UnitDiscountOn(day);
    const int64_t net = (line.unit_cents - line.discount_cents) * quantity;
    line.tax_cents = static_cast<int64_t>(std::llround(static_cast<double>(net) * tax_rate));
    line.total_cents = net + line.tax_cents;
    return line;
  }

  int PaymentMethodFor(Random& random, const CustomerModel& customer) {
    if (random.Bernoulli(0.85)) return customer.preferred_method;
    return static_cast<int>(random.UniformInt(0, 4));
  }

  std::string TransactionId(Random& random) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id = "txn_";
    uint64_t bits = random.NextU64();
    for (int i = 0; i < 16; ++i, bits >>= 4) id.push_back(kHex[bits & 15]);
    return id;
  }

  void WritePayment(Random& random, const std::string& order_id, int method, const char* status,
                    int64_t amount, int64_t ts, int64_t updated_ts, const std::string& last_four,
                    int card_type, bool with_transaction) {
    row_.Clear();
    row_.Add(random.Uuid(ts * 1000)).Add(order_id).Add(kPaymentMethodNames[method]).Add(status);
    row_.Cents(amount);
    if (with_transaction) {
      row_.Add(TransactionId(random));
    } else {
      row_.Null();
    }
    if (IsCard(method)) {
      row_.Add(last_four).Add(kCardTypes[card_type]);
    } else {
      row_.Null().Null();
    }
    row_.Timestamp(ts).Timestamp(ts).Timestamp(std::max(ts, updated_ts));
    sink_.Write(StoreTable::kPayments, row_);
  }

  const char* CarrierFor(Random& random, const std::string& country) {
    if (country == "US")
      return random.Bernoulli(0.5) ? "UPS" : (random.Bernoulli(0.5) ? "FedEx" : "USPS");
    if (country == "GB") return random.Bernoulli(0.6) ? "Royal Mail" : "DHL";
    if (country == "DE") return random.Bernoulli(0.6) ? "DHL" : "DPD";
    if (country == "CA") return random.Bernoulli(0.6) ? "Canada Post" : "UPS";
    if (country == "FR") return random.Bernoulli(0.6) ? "La Poste" : "DHL";
    return random.Bernoulli(0.6) ? "DHL" : "FedEx";
  }

  void GenerateOrders() {
    Random random = root_.Fork("orders");
    Random reviews = root_.Fork("reviews");
    product_orders_.assign(products_.size(), 0);
    for (const auto& bundle : bundles_) {
      for (size_t a = 0; a < bundle.products.size(); ++a) {
        for (size_t b = a + 1; b < bundle.products.size(); ++b) {
          pair_index_[PairKey(bundle.products[a], bundle.products[b])] = pair_orders_.size();
          pair_orders_.push_back(0);
        }
      }
    }
    // Active promotions by day.
    std::vector<std::vector<uint32_t>> promotions_by_day(
        static_cast<size_t>(end_day_ - first_day_));
    for (uint32_t i = 0; i < promotions_.size(); ++i) {
      for (int64_t d = std::max(first_day_, promotions_[i].start_ts / kSecondsPerDay);
           d <= std::min(end_day_ - 1, promotions_[i].end_ts / kSecondsPerDay); ++d) {
        promotions_by_day[static_cast<size_t>(d - first_day_)].push_back(i);
      }
    }
    std::vector<ItemLine> lines;
    std::vector<uint32_t> chosen;
    for (const OrderPlan& plan : plans_) {
      CustomerModel& customer = customers_[plan.customer];
      const int64_t ts = plan.ts;
      const int64_t day = ts / kSecondsPerDay;
      const std::string order_id = random.Uuid(ts * 1000);

      // Shipping address: the customer's own (a second address in the same
      // country for gifts), another country for an account takeover.
      Address address = customer.address;
      size_t ship_country = customer.country;
      if (plan.kind == OrderKind::kAccountTakeover) {
        do {
          ship_country = geography_.SampleCountry(random);
        } while (ship_country == customer.country);
        address = geography_.SampleAddress(ship_country, random);
      } else if (random.Bernoulli(0.12)) {
        address = geography_.SampleAddress(customer.country, random);
      }
      const double tax_rate = geography_.country(ship_country).tax_rate;

      // Items.
      chosen.clear();
      auto add_unique = [&](uint32_t product) {
        if (std::find(chosen.begin(), chosen.end(), product) == chosen.end()) {
          chosen.push_back(product);
        }
      };
      if (plan.kind == OrderKind::kCardTesting) {
        add_unique(random.Pick(cheap_products_));
      } else if (plan.kind == OrderKind::kAccountTakeover) {
        const int64_t k = random.UniformInt(3, 5);
        while (static_cast<int64_t>(chosen.size()) < k)
          add_unique(random.Pick(expensive_products_));
      } else {
        const double item_weights[] = {0.45, 0.27, 0.15, 0.08, 0.05};
        size_t k = random.WeightedIndex(item_weights) + 1;
        const size_t d = static_cast<size_t>(std::clamp<int64_t>(
            day - first_day_, 0, static_cast<int64_t>(bundle_rate_.size()) - 1));
        if (plan.kind == OrderKind::kNormal && random.Bernoulli(bundle_rate_[d])) {
          for (uint32_t product : bundles_[bundle_tables_[d].Sample(random)].products)
            add_unique(product);
          k = std::max(k, chosen.size());
        }
        for (int attempt = 0; chosen.size() < k && attempt < 20; ++attempt) {
          add_unique(SampleProduct(random, day));
        }
      }
      lines.clear();
      int64_t subtotal = 0, tax = 0, items_total = 0;
      for (uint32_t product : chosen) {
        int64_t quantity = 1;
        if (plan.kind == OrderKind::kAccountTakeover) {
          quantity = random.UniformInt(1, 2);
        } else if (plan.kind != OrderKind::kCardTesting) {
          const double quantity_weights[] = {0.78, 0.16, 0.06};
          quantity = static_cast<int64_t>(random.WeightedIndex(quantity_weights)) + 1;
        }
        lines.push_back(PriceLine(product, quantity, day, tax_rate));
        subtotal += (lines.back().unit_cents - lines.back().discount_cents) * quantity;
        tax += lines.back().tax_cents;
        items_total += lines.back().total_cents;
      }
      const bool domestic = geography_.country(ship_country).code == "US";
      const int64_t shipping = subtotal >= 7500 ? 0 : (domestic ? 599 : 1499);
      int64_t order_discount = 0;
      if (plan.kind == OrderKind::kNormal && day >= first_day_) {
        for (uint32_t index : promotions_by_day[static_cast<size_t>(day - first_day_)]) {
          PromotionModel& promotion = promotions_[index];
          if (ts < promotion.start_ts || ts > promotion.end_ts) continue;
          if (!promotion.rule.AppliesTo(subtotal)) continue;
          if (promotion.usage_limit > 0 && promotion.usage_count >= promotion.usage_limit) continue;
          if (!random.Bernoulli(kPromotionUseProbability)) continue;
          order_discount = promotion.rule.DiscountCents(subtotal);
          ++promotion.usage_count;
          break;
        }
      }
      const int64_t total = items_total + shipping - order_discount;

      // Timeline: processing, shipped, delivered; cancellations and returns.
      const bool international = ship_country != customer.country || !domestic;
      const int64_t processing_ts = ts + random.UniformInt(600, 6 * 3600);
      const int64_t shipped_ts = ts + random.UniformInt(12 * 3600, 60 * 3600);
      const int64_t transit_days =
          international ? random.UniformInt(4, 10) : random.UniformInt(2, 5);
      const int64_t delivered_ts =
          shipped_ts + transit_days * kSecondsPerDay + random.UniformInt(-6 * 3600, 6 * 3600);
      const int64_t estimated_ts = shipped_ts + (international ? 7 : 4) * kSecondsPerDay;
      std::string status;
      int64_t updated_ts = ts;
      if (delivered_ts < end_ts_) {
        status = "delivered", updated_ts = delivered_ts;
      } else if (shipped_ts < end_ts_) {
        status = "shipped", updated_ts = shipped_ts;
      } else if (processing_ts < end_ts_) {
        status = "processing", updated_ts = processing_ts;
      } else {
        status = "pending";
      }
      int64_t returned_ts = -1;
      bool payment_declined = false;
      if (plan.kind == OrderKind::kCardTesting) {
        status = "cancelled", updated_ts = std::min(end_ts_ - 1, ts + 900);
        payment_declined = true;
      } else if (plan.kind == OrderKind::kRefundAbuse) {
        returned_ts =
            std::min(end_ts_ - 1, delivered_ts + random.UniformInt(1, 6) * kSecondsPerDay);
        if (delivered_ts < end_ts_) status = "returned", updated_ts = returned_ts;
      } else if (plan.kind == OrderKind::kNormal) {
        const int64_t cancel_ts = ts + random.UniformInt(300, 20 * 3600);
        if (random.Bernoulli(kCancelProbability) && cancel_ts < end_ts_ && cancel_ts < shipped_ts) {
          status = "cancelled", updated_ts = cancel_ts;
          payment_declined = random.Bernoulli(0.5);
        } else if (status == "delivered" && random.Bernoulli(kReturnProbability)) {
          returned_ts = delivered_ts + random.UniformInt(2, 25) * kSecondsPerDay;
          if (returned_ts < end_ts_) status = "returned", updated_ts = returned_ts;
        }
      }

      // Payments.
      int method = PaymentMethodFor(random, customer);
      std::string last_four = customer.card_last_four;
      int card_type = customer.card_type;
      if (plan.kind == OrderKind::kAccountTakeover) {
        method = kCreditCard;
        last_four = FillPattern("####", random);
        card_type = static_cast<int>(random.UniformInt(0, 2));
      }
      int64_t pay_ts = ts + random.UniformInt(5, 120);
      if (plan.kind == OrderKind::kCardTesting) {
        // A burst of declined attempts with different stolen cards.
        method = kCreditCard;
        const int64_t attempts = random.UniformInt(5, 12);
        for (int64_t a = 0; a < attempts; ++a) {
          WritePayment(random, order_id, method, "failed", total, pay_ts, pay_ts,
                       FillPattern("####", random), static_cast<int>(random.UniformInt(0, 2)),
                       true);
          pay_ts += random.UniformInt(15, 70);
        }
      } else if (status == "pending") {
        WritePayment(random, order_id, method, "pending", total, pay_ts, pay_ts, last_four,
                     card_type, false);
      } else if (status == "cancelled") {
        WritePayment(random, order_id, method, payment_declined ? "failed" : "refunded", total,
                     pay_ts, updated_ts, last_four, card_type, true);
      } else {
        if (random.Bernoulli(kPaymentRetryProbability)) {
          // A declined first attempt, then a successful retry.
          WritePayment(random, order_id, method, "failed", total, pay_ts, pay_ts, last_four,
                       card_type, true);
          pay_ts += random.UniformInt(60, 900);
        }
        const bool refunded = status == "returned";
        WritePayment(random, order_id, method, refunded ? "refunded" : "completed", total, pay_ts,
                     refunded ? returned_ts : pay_ts, last_four, card_type, true);
      }

      // The order and its items.
      row_.Clear();
      row_.Add(order_id).Add(customer.id).Timestamp(ts).Add(status).Cents(total).Cents(tax);
      row_.Cents(shipping).Cents(order_discount).Add(kPaymentMethodNames[method]);
      row_.Add(address.line1).AddOrNull(address.line2).Add(address.city).Add(address.state);
      row_.Add(address.postal_code).Add(address.country).Timestamp(ts).Timestamp(updated_ts);
      sink_.Write(StoreTable::kOrders, row_);
      for (const ItemLine& line : lines) {
        row_.Clear();
        row_.Add(random.Uuid(ts * 1000)).Add(order_id).Add(products_[line.product].id);
        row_.Int(line.quantity).Cents(line.unit_cents).Cents(line.discount_cents);
        row_.Cents(line.tax_cents).Cents(line.total_cents).Timestamp(ts).Timestamp(ts);
        sink_.Write(StoreTable::kOrderItems, row_);
        ++product_orders_[line.product];
      }
      CountBundlePairs(chosen);
      ++orders_written_;

      // Shipment for orders that left the warehouse.
      if (status == "shipped" || status == "delivered" || status == "returned") {
        const bool arrived = status != "shipped";
        row_.Clear();
        const int64_t label_ts = std::max(ts, shipped_ts - random.UniformInt(3600, 6 * 3600));
        const char* carrier = CarrierFor(random, address.country);
        row_.Add(random.Uuid(label_ts * 1000)).Add(order_id).Add(carrier);
        row_.Add(std::string(carrier).substr(0, 2) == "Ro"
                     ? FillPattern("AA#########GB", random)
                     : FillPattern("1Z##############", random));
        row_.Add(status == "shipped" ? "in_transit" : status);
        row_.Timestamp(shipped_ts).Timestamp(estimated_ts);
        if (arrived) {
          row_.Timestamp(delivered_ts);
        } else {
          row_.Null();
        }
        row_.Cents(shipping > 0 ? shipping * 6 / 10 : (domestic ? 450 : 1100));
        row_.Timestamp(label_ts).Timestamp(updated_ts);
        sink_.Write(StoreTable::kShipments, row_);
      }

      // Verified reviews by the buyer, some time after delivery.
      if (status == "delivered" || status == "returned") {
        for (const ItemLine& line : lines) {
          if (!reviews.Bernoulli(kReviewProbability)) continue;
          const int64_t review_ts = delivered_ts + reviews.UniformInt(1, 30) * kSecondsPerDay +
                                    reviews.UniformInt(0, 86399);
          if (review_ts >= end_ts_) continue;
          const double mean = products_[line.product].quality - (status == "returned" ? 1.5 : 0);
          WriteReview(reviews, line.product, customer.id, mean, true, review_ts);
        }
      }

      if (status != "cancelled" && status != "returned") customer.lifetime_cents += total;
      ++customer.orders;
      customer.last_activity_ts = std::max(customer.last_activity_ts, updated_ts);
      if (plan.kind != OrderKind::kNormal) {
        static constexpr FraudPattern kPattern[] = {
            FraudPattern::kCardTesting, FraudPattern::kCardTesting, FraudPattern::kAccountTakeover,
            FraudPattern::kVelocityBurst, FraudPattern::kRefundAbuse};
        fraud_.push_back(
            {order_id, customer.id, kPattern[static_cast<int>(plan.kind)], plan.group});
      }
    }
  }

  static uint64_t PairKey(uint32_t a, uint32_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<uint64_t>(a) << 32) | b;
  }

  void CountBundlePairs(const std::vector<uint32_t>& chosen) {
    for (size_t i = 0; i < chosen.size(); ++i) {
      for (size_t j = i + 1; j < chosen.size(); ++j) {
        const auto it = pair_index_.find(PairKey(chosen[i], chosen[j]));
        if (it != pair_index_.end()) ++pair_orders_[it->second];
      }
    }
  }

  void WriteReview(Random& random, uint32_t product, const std::string& customer_id, double mean,
                   bool verified, int64_t ts) {
    const int rating = SampleRating(random, mean);
    row_.Clear();
    row_.Add(random.Uuid(ts * 1000)).Add(products_[product].id).Add(customer_id).Int(rating);
    const ReviewWords words = SampleReviewWords(random, rating);
    row_.Add(words.title).Add(words.text);
    row_.Bool(verified).Int(random.Geometric(0.35)).Timestamp(ts).Timestamp(ts);
    sink_.Write(StoreTable::kReviews, row_);
    ++reviews_written_;
  }

  void WriteNonBuyerReviews() {
    // A few reviews from people who did not buy the product (unverified).
    Random random = root_.Fork("unverified-reviews");
    const int64_t count = reviews_written_ / 16;
    for (int64_t i = 0; i < count; ++i) {
      const uint32_t c = static_cast<uint32_t>(random.UniformInt(0, customers_.size() - 1));
      const uint32_t product = static_cast<uint32_t>(random.UniformInt(0, products_.size() - 1));
      const int64_t from = std::max(customers_[c].created_ts, products_[product].created_ts);
      if (from >= end_ts_ - 3600) continue;
      const int64_t ts = random.UniformInt(from + 60, end_ts_ - 60);
      WriteReview(random, product, customers_[c].id, products_[product].quality - 0.5, false, ts);
    }
  }

  // ------------------------------------------------------------ reference rows
  void WriteCategories() {
    for (const auto& category : categories_) {
      row_.Clear();
      row_.Add(category.id).Add(category.name);
      if (category.parent >= 0) {
        row_.Add(categories_[static_cast<size_t>(category.parent)].id);
      } else {
        row_.Null();
      }
      row_.Add(category.leaf ? "Products in " + category.name : category.name + " and more");
      row_.Timestamp(category.created_ts).Timestamp(category.created_ts).Bool(true);
      sink_.Write(StoreTable::kCategories, row_);
    }
  }

  void WriteProducts() {
    Random random = root_.Fork("product-details");
    for (const auto& product : products_) {
      const int64_t updated = product.LastChangeDay() >= 0
                                  ? product.LastChangeDay() * kSecondsPerDay + 3600
                                  : product.created_ts;
      row_.Clear();
      row_.Add(product.id).Add(product.name).Add(categories_[product.category].id);
      row_.Add("The " + product.name + " by " + kBrands[product.brand] + ".");
      row_.Add(product.sku).Cents(product.CurrentPrice());
      row_.Cents(product.base_cents * random.UniformInt(40, 70) / 100);
      row_.Cents(random.UniformInt(10, 2500));  // weight, kg with two decimals
      row_.Add(std::to_string(random.UniformInt(5, 80)) + "x" +
               std::to_string(random.UniformInt(5, 60)) + "x" +
               std::to_string(random.UniformInt(2, 40)) + " cm");
      row_.Add(kBrands[product.brand]).Add(std::string(kBrands[product.brand]) + " Manufacturing");
      row_.Timestamp(product.created_ts).Timestamp(updated).Bool(!random.Bernoulli(0.03));
      sink_.Write(StoreTable::kProducts, row_);
    }
  }

  void WriteInventory() {
    Random random = root_.Fork("inventory");
    for (uint32_t p = 0; p < products_.size(); ++p) {
      const int64_t warehouses = random.UniformInt(1, 3);
      const int64_t first = random.UniformInt(0, std::size(kWarehouses) - 1);
      for (int64_t w = 0; w < warehouses; ++w) {
        const bool large = random.Bernoulli(0.3);
        const int64_t created = products_[p].created_ts + random.UniformInt(3600, 86400);
        const int64_t restocked = end_ts_ - random.UniformInt(1, 60 * kSecondsPerDay);
        row_.Clear();
        row_.Add(random.Uuid(created * 1000)).Add(products_[p].id);
        row_.Add(kWarehouses[(first + w) % std::size(kWarehouses)]);
        row_.Int(random.Poisson(15 + 40 * std::min(3.0, products_[p].popularity)));
        row_.Int(random.Poisson(2)).Int(large ? 20 : 10).Int(large ? 100 : 50);
        row_.Timestamp(restocked).Timestamp(created).Timestamp(restocked);
        sink_.Write(StoreTable::kInventory, row_);
      }
    }
  }

  void WritePromotions() {
    for (const auto& promotion : promotions_) {
      row_.Clear();
      row_.Add(promotion.id).Add(promotion.code).Add(promotion.name);
      row_.Add(promotion.name + " on orders" +
               (promotion.rule.min_purchase_cents > 0
                    ? " over $" + std::to_string(promotion.rule.min_purchase_cents / 100)
                    : std::string()));
      row_.Add(promotion.rule.percentage ? "percentage" : "fixed");
      row_.Cents(promotion.rule.percentage ? promotion.rule.value * 100 : promotion.rule.value);
      row_.Cents(promotion.rule.min_purchase_cents);
      if (promotion.rule.max_discount_cents > 0) {
        row_.Cents(promotion.rule.max_discount_cents);
      } else {
        row_.Null();
      }
      row_.Timestamp(promotion.start_ts).Timestamp(promotion.end_ts);
      if (promotion.usage_limit > 0) {
        row_.Int(promotion.usage_limit);
      } else {
        row_.Null();
      }
      row_.Int(promotion.usage_count).Bool(promotion.end_ts >= end_ts_);
      row_.Timestamp(promotion.created_ts)
          .Timestamp(std::min(end_ts_ - 1, std::max(promotion.created_ts, promotion.end_ts)));
      sink_.Write(StoreTable::kPromotions, row_);
    }
  }

  void WriteCustomers() {
    // Segments from what the store can see (value and frequency), never the
    // hidden archetype.
    std::vector<int64_t> values;
    for (const auto& c : customers_) values.push_back(c.lifetime_cents);
    std::sort(values.begin(), values.end());
    const int64_t vip_threshold = values[values.size() * 9 / 10];
    for (const auto& c : customers_) {
      const char* segment = c.orders <= 1 ? "new"
                            : (c.lifetime_cents >= vip_threshold && c.lifetime_cents > 0)
                                ? "vip"
                                : "regular";
      row_.Clear();
      row_.Add(c.id).Add(c.email).Add(c.first_name).Add(c.last_name).Add(c.phone);
      row_.Add(c.address.line1).AddOrNull(c.address.line2).Add(c.address.city);
      row_.Add(c.address.state).Add(c.address.postal_code).Add(c.address.country);
      row_.Timestamp(c.created_ts).Timestamp(std::min(end_ts_ - 1, c.last_activity_ts));
      row_.Bool(c.is_active).Add(segment).Cents(c.lifetime_cents);
      sink_.Write(StoreTable::kCustomers, row_);
    }
  }

  // ------------------------------------------------------------ truth
  GroundTruth Truth() {
    GroundTruth truth;
    for (const auto& c : customers_) {
      truth.customers.push_back({c.id, c.archetype, std::string(c.address.country),
                                 c.created_ts / kSecondsPerDay, c.churn_day, c.orders_per_year});
    }
    for (const auto& c : categories_) {
      truth.categories.push_back(
          {c.id, c.name, c.parent >= 0 ? categories_[static_cast<size_t>(c.parent)].id : "",
           c.level, c.leaf, c.elasticity, c.growth});
    }
    for (const auto& p : products_) {
      truth.products.push_back({p.id, categories_[p.category].id, p.quality});
    }
    for (uint32_t leaf : leaves_) {
      const CategoryModel& category = categories_[leaf];
      for (size_t k = 0; k < category.price_levels.size(); ++k) {
        const int64_t end = k + 1 < category.price_levels.size()
                                ? category.price_levels[k + 1].first_day
                                : end_day_;
        truth.category_price_levels.push_back({category.id, category.price_levels[k].first_day, end,
                                               category.price_levels[k].factor});
      }
    }
    for (const auto& p : products_) {
      for (size_t k = 1; k < p.prices.size(); ++k) {
        const PriceChangeCause cause = p.prices[k].first == p.own_change_day
                                           ? PriceChangeCause::kProduct
                                           : PriceChangeCause::kCategoryLevel;
        truth.price_changes.push_back({p.id, categories_[p.category].id, p.prices[k].first,
                                       p.prices[k - 1].second, p.prices[k].second, cause});
      }
      if (p.markdown_first >= 0) {
        truth.markdowns.push_back({p.id, p.markdown_first, p.markdown_end, p.markdown_fraction});
      }
    }
    const double orders = static_cast<double>(std::max<int64_t>(1, orders_written_));
    for (size_t b = 0; b < bundles_.size(); ++b) {
      BundleTruth bundle;
      bundle.bundle_id = "bundle-" + std::to_string(b + 1);
      for (uint32_t p : bundles_[b].products) bundle.product_ids.push_back(products_[p].id);
      bundle.inclusion_probability = bundle_probability_[b];
      const auto& members = bundles_[b].products;
      for (size_t i = 0; i < members.size(); ++i) {
        for (size_t j = i + 1; j < members.size(); ++j) {
          const int64_t together = pair_orders_[pair_index_.at(PairKey(members[i], members[j]))];
          const double pa = product_orders_[members[i]] / orders;
          const double pb = product_orders_[members[j]] / orders;
          bundle.pairs.emplace_back(i, j);
          bundle.pair_orders.push_back(together);
          bundle.pair_lifts.push_back(pa > 0 && pb > 0 ? (together / orders) / (pa * pb) : 0);
        }
      }
      truth.bundles.push_back(std::move(bundle));
    }
    truth.fraud = fraud_;

    nlohmann::json countries = nlohmann::json::array();
    for (const auto& c : geography_.countries()) {
      countries.push_back({{"code", c.code},
                           {"name", c.name},
                           {"continent", c.continent},
                           {"currency", c.currency},
                           {"tax_rate", c.tax_rate},
                           {"utc_offset_hours", c.utc_offset_hours},
                           {"postal_format", c.postal_format}});
    }
    const auto& counts = sink_.row_counts();
    nlohmann::json table_counts = nlohmann::json::object();
    for (size_t t = 0; t < kStoreTableCount; ++t) {
      table_counts[std::string(TableName(static_cast<StoreTable>(t)))] = counts[t];
    }
    truth.parameters = {
        {"seed", p_.seed},
        {"scale", p_.scale},
        {"as_of", FormatIsoDate(p_.as_of_day)},
        {"history_days", p_.history_days},
        {"first_order_date", FormatIsoDate(first_day_)},
        {"row_counts", table_counts},
        {"archetypes",
         {{"mix",
           {{"loyal", kArchetypeMix[0]},
            {"occasional", kArchetypeMix[1]},
            {"one_time", kArchetypeMix[2]},
            {"churning", kArchetypeMix[3]}}},
          {"base_orders_per_year",
           {{"loyal", kArchetypeRate[0] * rate_scale_},
            {"occasional", kArchetypeRate[1] * rate_scale_},
            {"one_time", 1},
            {"churning", kArchetypeRate[3] * rate_scale_}}}}},
        {"fraud",
         {{"share_of_orders_per_pattern", kFraudShare},
          {"patterns", {"card_testing", "account_takeover", "velocity_burst", "refund_abuse"}},
          {"orders", fraud_.size()},
          {"rate", static_cast<double>(fraud_.size()) / orders}}},
        {"bundles",
         {{"order_probability_at_base_prices", kBundleProbability},
          {"count", bundles_.size()},
          {"price_response",
           "bundle weight x geometric mean of its members' (effective_price / "
           "base_price)^elasticity"}}},
        {"demand",
         {{"model",
           "product weight within its category = popularity x (effective_price / "
           "base_price)^elasticity; category units per day proportional to share x "
           "exp(growth x years) x popularity-weighted mean of those multipliers (so "
           "proportional to price_level^elasticity); the store's order rate x the same sum "
           "relative to base prices"},
          {"category_price_levels",
           {{"min_days", PriceLevelOptions{}.min_days},
            {"max_days", PriceLevelOptions{}.max_days},
            {"log_stddev", PriceLevelOptions{}.log_stddev},
            {"orthogonal_to", "constant, linear and quadratic trend, yearly cosine and sine"}}},
          {"promotion_demand_lift_per_active_code", kPromotionDemandLiftPerCode},
          {"promotion_active_codes_cap", 3},
          {"promotion_use_probability", kPromotionUseProbability}}},
        {"orders",
         {{"cancel_probability", kCancelProbability},
          {"return_probability", kReturnProbability},
          {"payment_retry_probability", kPaymentRetryProbability},
          {"review_probability_per_item", kReviewProbability},
          {"free_shipping_from", 75.0}}},
        {"countries", countries},
        {"calendar", calendar_.ToJson()},
    };
    return truth;
  }

  const SimulationParameters p_;
  RowSink& sink_;
  Random root_;
  const int64_t first_day_;
  const int64_t end_day_;
  const int64_t end_ts_;
  GeographyCatalogue geography_;
  DemandCalendar calendar_;
  StoreRow row_;

  std::vector<CategoryModel> categories_;
  std::vector<uint32_t> leaves_;
  std::vector<ProductModel> products_;
  std::vector<uint32_t> cheap_products_;
  std::vector<uint32_t> expensive_products_;
  std::vector<PromotionModel> promotions_;
  std::vector<Bundle> bundles_;
  std::vector<AliasTable> bundle_tables_;   // per day of the window
  std::vector<double> bundle_rate_;         // per day: chance that an order carries a bundle
  std::vector<double> bundle_probability_;  // at base prices
  std::vector<double> promotion_factor_;
  std::vector<double> price_factor_;
  std::vector<std::vector<double>> cumulative_;
  std::vector<AliasTable> category_tables_;
  AliasTable hour_table_;
  std::vector<CustomerModel> customers_;
  double rate_scale_ = 1;
  std::vector<OrderPlan> plans_;
  size_t normal_orders_ = 0;
  std::vector<FraudTruth> fraud_;
  std::vector<int64_t> product_orders_;
  std::unordered_map<uint64_t, size_t> pair_index_;
  std::vector<int64_t> pair_orders_;
  int64_t orders_written_ = 0;
  int64_t reviews_written_ = 0;
};

}  // namespace

StoreModelGenerator::StoreModelGenerator(SimulationParameters parameters)
    : parameters_(parameters) {}

GroundTruth StoreModelGenerator::Generate(RowSink& sink) {
  StoreBuilder builder(parameters_, sink);
  return builder.Build();
}

}  // namespace futureim::generate

#include "generate/live_trader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include <mysqld_error.h>

#include "core/error.h"
#include "core/log.h"
#include "generate/person_name.h"
#include "generate/review_rating.h"
#include "generate/store_row.h"

namespace futureim::generate {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

constexpr const char* kMethods[] = {"credit_card", "debit_card", "paypal", "apple_pay"};

struct ActionWeight {
  const char* name;
  double weight;
};
constexpr ActionWeight kActions[] = {{"new_order", 0.32},      {"new_customer", 0.07},
                                     {"progress_order", 0.25}, {"cancel_order", 0.04},
                                     {"return_order", 0.03},   {"price_change", 0.08},
                                     {"inventory", 0.09},      {"review", 0.07},
                                     {"delete", 0.05},         {"new_promotion", 0.01}};

// Items and quantities per order, as in the fill.
constexpr double kItemCountWeights[] = {0.45, 0.27, 0.15, 0.08, 0.05};
constexpr double kQuantityWeights[] = {0.78, 0.16, 0.06};

int64_t Cents(const std::optional<std::string>& value) { return value ? std::stoll(*value) : 0; }

// Session `timestamp` takes seconds with a fraction.
std::string SqlSeconds(int64_t micros) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%06lld", static_cast<long long>(micros / kMicrosPerSecond),
                static_cast<long long>(micros % kMicrosPerSecond));
  return text;
}

}  // namespace

int64_t LiveTrader::ProductRef::UnitDiscountCents(int64_t now_micros) const {
  if (now_micros >= markdown_end_micros) return 0;
  return static_cast<int64_t>(std::llround(static_cast<double>(price_cents) * markdown_fraction));
}

double LiveTrader::ProductRef::DemandWeight(int64_t now_micros) const {
  const double effective = static_cast<double>(price_cents - UnitDiscountCents(now_micros));
  return std::pow(effective / static_cast<double>(reference_cents), elasticity);
}

bool LiveTrader::Promotion::UsableAt(int64_t now_micros) const {
  return active && start_micros <= now_micros && now_micros <= end_micros &&
         (usage_limit == 0 || usage_count < usage_limit);
}

LiveTrader::LiveTrader(const source::SourceEndpoint& endpoint, LiveOptions options)
    : connection_(source::MysqlConnection::Connect(endpoint)),
      options_(std::move(options)),
      random_(Random(options_.seed).Fork("live")),
      clock_(StoreLatestMicros()) {
  connection_.Execute("SET SESSION time_zone = '+00:00'");
  LoadCustomers();
  LoadProducts();
  LoadPromotions();
  for (auto& row : connection_.Query("SELECT inventory_id FROM inventory ORDER BY inventory_id")) {
    inventory_.push_back(*row[0]);
  }
  if (customers_.empty() || products_.empty()) {
    throw core::Error("live trading needs a store with customers and products in " +
                      endpoint.Describe() + ": fill it first (futureim generate --scale S)");
  }
}

int64_t LiveTrader::StoreLatestMicros() {
  // The latest moment any row records (expected deliveries and promotion
  // ends are plans, not events, and may lie ahead).
  std::string sql = "SELECT COALESCE(MAX(UNIX_TIMESTAMP(t)), 0) FROM (";
  const char* columns[][2] = {{"customers", "updated_at"},
                              {"categories", "updated_at"},
                              {"products", "updated_at"},
                              {"inventory", "updated_at"},
                              {"orders", "updated_at"},
                              {"orders", "order_date"},
                              {"order_items", "updated_at"},
                              {"payments", "updated_at"},
                              {"payments", "payment_date"},
                              {"shipments", "updated_at"},
                              {"shipments", "actual_delivery_date"},
                              {"reviews", "updated_at"},
                              {"promotions", "updated_at"}};
  bool first = true;
  for (const auto& [table, column] : columns) {
    sql += first ? "" : " UNION ALL ";
    sql += std::string("SELECT MAX(") + column + ") t FROM " + table;
    first = false;
  }
  sql += ") latest";
  const auto seconds = connection_.QueryScalar(sql);
  return static_cast<int64_t>(std::llround(std::stod(seconds.value_or("0")) * kMicrosPerSecond));
}

void LiveTrader::LoadCustomers() {
  for (auto& row : connection_.Query(
           "SELECT customer_id, country, address_line1, address_line2, city, state, postal_code "
           "FROM customers ORDER BY customer_id")) {
    size_t country = 0;
    try {
      country = geography_.IndexOf(row[1].value_or("US"));
    } catch (const std::out_of_range&) {
    }
    Address address;
    if (row[2] && row[4]) {
      address = {*row[2],
                 row[3].value_or(""),
                 *row[4],
                 row[5].value_or(""),
                 row[6].value_or(""),
                 std::string(geography_.country(country).code)};
    } else {
      address = geography_.SampleAddress(country, random_);
    }
    customers_.push_back({*row[0], country, std::move(address)});
  }
}

void LiveTrader::LoadProducts() {
  for (auto& row : connection_.Query("SELECT product_id, COALESCE(category_id, ''), "
                                     "ROUND(price * 100) FROM products ORDER BY product_id")) {
    const auto elasticity = options_.category_elasticity.find(*row[1]);
    const int64_t price = std::max<int64_t>(1, std::stoll(*row[2]));
    product_index_[*row[0]] = products_.size();
    products_.push_back(
        {*row[0], price, price,
         elasticity == options_.category_elasticity.end() ? kDefaultElasticity : elasticity->second,
         0});
  }
  // Quality: the truth when the fill ran here; else each product's mean
  // rating, shrunk towards the store's mean by two pseudo-reviews (a product
  // with few reviews says little about itself).
  std::map<std::string, std::pair<double, double>> ratings;  // sum, count
  double sum = 0, count = 0;
  if (options_.product_quality.empty()) {
    for (auto& row : connection_.Query(
             "SELECT product_id, SUM(rating), COUNT(*) FROM reviews GROUP BY product_id")) {
      ratings[*row[0]] = {std::stod(*row[1]), std::stod(*row[2])};
      sum += std::stod(*row[1]);
      count += std::stod(*row[2]);
    }
  }
  const double store_mean = count > 0 ? sum / count : 4.0;
  for (auto& product : products_) {
    const auto truth = options_.product_quality.find(product.id);
    if (truth != options_.product_quality.end()) {
      product.quality = truth->second;
      continue;
    }
    const auto [product_sum, product_count] = ratings[product.id];
    product.quality = (product_sum + 2 * store_mean) / (product_count + 2);
  }
}

void LiveTrader::LoadPromotions() {
  for (auto& row : connection_.Query(
           "SELECT promotion_id, discount_type, ROUND(discount_value * 100), "
           "ROUND(COALESCE(min_purchase_amount, 0) * 100), ROUND(COALESCE(max_discount_amount, 0) "
           "* 100), UNIX_TIMESTAMP(start_date), UNIX_TIMESTAMP(end_date), COALESCE(usage_limit, "
           "0), usage_count, is_active FROM promotions ORDER BY start_date, promotion_id")) {
    Promotion promotion;
    promotion.id = *row[0];
    promotion.rule.percentage = row[1] == "percentage";
    // discount_value holds the percent (15.00) or the amount (5.00).
    promotion.rule.value = promotion.rule.percentage ? Cents(row[2]) / 100 : Cents(row[2]);
    promotion.rule.min_purchase_cents = Cents(row[3]);
    promotion.rule.max_discount_cents = Cents(row[4]);
    promotion.start_micros = std::stoll(*row[5]) * kMicrosPerSecond;
    promotion.end_micros = std::stoll(*row[6]) * kMicrosPerSecond;
    promotion.usage_limit = Cents(row[7]);
    promotion.usage_count = Cents(row[8]);
    promotion.active = row[9] == "1";
    promotions_.push_back(std::move(promotion));
  }
}

std::string LiveTrader::Quote(const std::string& text) {
  return "'" + connection_.Escape(text) + "'";
}

std::string LiveTrader::Now() const { return "FROM_UNIXTIME(" + SqlSeconds(now_micros_) + ")"; }

void LiveTrader::Exec(const std::string& sql) {
  const auto affected = static_cast<int64_t>(connection_.ExecuteCountingRows(sql));
  if (affected <= 0) return;
  if (sql.starts_with("INSERT")) {
    summary_.inserts += affected;
  } else if (sql.starts_with("UPDATE")) {
    summary_.updates += affected;
  } else if (sql.starts_with("DELETE")) {
    summary_.deletes += affected;
  }
}

std::string LiveTrader::PickOrder(const std::string& status) {
  // One of the most recent orders in that status (the index on order_status
  // keeps this cheap); locked for the rest of the transaction.
  auto rows =
      connection_.Query("SELECT order_id FROM orders WHERE order_status = " + Quote(status) +
                        " ORDER BY order_date DESC LIMIT 20");
  if (rows.empty()) return "";
  const std::string id = *rows[static_cast<size_t>(random_.UniformInt(0, rows.size() - 1))][0];
  connection_.Query("SELECT order_id FROM orders WHERE order_id = " + Quote(id) + " FOR UPDATE");
  return id;
}

size_t LiveTrader::PickProduct() {
  // Rejection sampling: uniform over products, kept with probability
  // weight / bound, so demand follows (price / reference)^elasticity.
  for (;;) {
    const size_t p = static_cast<size_t>(random_.UniformInt(0, products_.size() - 1));
    if (random_.Uniform() * max_demand_weight_ <= products_[p].DemandWeight(now_micros_)) return p;
  }
}

int LiveTrader::ActivePromotions() const {
  return static_cast<int>(std::count_if(promotions_.begin(), promotions_.end(),
                                        [&](const auto& p) { return p.UsableAt(now_micros_); }));
}

void LiveTrader::NewCustomer() {
  const size_t country = geography_.SampleCountry(random_);
  const Address address = geography_.SampleAddress(country, random_);
  const PersonName person = SamplePersonName(random_, static_cast<int64_t>(customers_.size()) + 1);
  const std::string id = random_.Uuid(now_micros_ / 1000);
  Exec(
      "INSERT INTO customers (customer_id, email, first_name, last_name, phone, address_line1, "
      "address_line2, city, state, postal_code, country, customer_segment, lifetime_value) "
      "VALUES (" +
      Quote(id) + ", " + Quote(person.email) + ", " + Quote(person.first_name) + ", " +
      Quote(person.last_name) + ", " + Quote(geography_.SamplePhone(country, random_)) + ", " +
      Quote(address.line1) + ", " + (address.line2.empty() ? "NULL" : Quote(address.line2)) + ", " +
      Quote(address.city) + ", " + Quote(address.state) + ", " + Quote(address.postal_code) + ", " +
      Quote(address.country) + ", 'new', 0.00)");
  customers_.push_back({id, country, address});
}

void LiveTrader::NewOrder() {
  const CustomerRef& customer = random_.Pick(customers_);
  // The customer's own address; sometimes another in the same country (a gift).
  const Address address = random_.Bernoulli(0.12)
                              ? geography_.SampleAddress(customer.country, random_)
                              : customer.address;
  const Country& country = geography_.country(customer.country);
  const std::string order_id = random_.Uuid(now_micros_ / 1000);
  const size_t items = random_.WeightedIndex(kItemCountWeights) + 1;
  std::vector<size_t> chosen;
  for (int attempt = 0; chosen.size() < items && attempt < 20; ++attempt) {
    const size_t p = PickProduct();
    if (std::find(chosen.begin(), chosen.end(), p) == chosen.end()) chosen.push_back(p);
  }
  std::vector<std::string> item_rows;
  int64_t subtotal = 0, tax = 0, items_total = 0;
  for (size_t p : chosen) {
    const ProductRef& product = products_[p];
    const int64_t quantity = static_cast<int64_t>(random_.WeightedIndex(kQuantityWeights)) + 1;
    const int64_t discount = product.UnitDiscountCents(now_micros_);
    const int64_t net = (product.price_cents - discount) * quantity;
    const int64_t line_tax =
        static_cast<int64_t>(std::llround(static_cast<double>(net) * country.tax_rate));
    subtotal += net;
    tax += line_tax;
    items_total += net + line_tax;
    item_rows.push_back("(" + Quote(random_.Uuid(now_micros_ / 1000)) + ", " + Quote(order_id) +
                        ", " + Quote(product.id) + ", " + std::to_string(quantity) + ", " +
                        FormatCents(product.price_cents) + ", " + FormatCents(discount) + ", " +
                        FormatCents(line_tax) + ", " + FormatCents(net + line_tax) + ")");
  }
  const int64_t shipping = subtotal >= 7500 ? 0 : (address.country == "US" ? 599 : 1499);
  // The first active code that applies, used with the fill's probability.
  int64_t order_discount = 0;
  Promotion* used = nullptr;
  for (Promotion& promotion : promotions_) {
    if (!promotion.UsableAt(now_micros_) || !promotion.rule.AppliesTo(subtotal)) continue;
    if (!random_.Bernoulli(kPromotionUseProbability)) continue;
    order_discount = promotion.rule.DiscountCents(subtotal);
    used = &promotion;
    break;
  }
  const int64_t total = items_total + shipping - order_discount;
  const char* method = kMethods[random_.UniformInt(0, 3)];
  const bool card = std::string_view(method).ends_with("card");
  const bool declined = random_.Bernoulli(0.05);
  const bool retried = declined && random_.Bernoulli(0.6);
  const char* status = declined && !retried ? "cancelled" : "pending";
  Exec(
      "INSERT INTO orders (order_id, customer_id, order_date, order_status, total_amount, "
      "tax_amount, shipping_amount, discount_amount, payment_method, shipping_address_line1, "
      "shipping_address_line2, shipping_city, shipping_state, shipping_postal_code, "
      "shipping_country) VALUES (" +
      Quote(order_id) + ", " + Quote(customer.id) + ", " + Now() + ", '" + status + "', " +
      FormatCents(total) + ", " + FormatCents(tax) + ", " + FormatCents(shipping) + ", " +
      FormatCents(order_discount) + ", '" + method + "', " + Quote(address.line1) + ", " +
      (address.line2.empty() ? "NULL" : Quote(address.line2)) + ", " + Quote(address.city) + ", " +
      Quote(address.state) + ", " + Quote(address.postal_code) + ", " + Quote(address.country) +
      ")");
  std::string sql =
      "INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, "
      "discount_amount, tax_amount, total_amount) VALUES ";
  for (size_t i = 0; i < item_rows.size(); ++i) sql += (i ? ", " : "") + item_rows[i];
  Exec(sql);
  // A code counts as used once an order carries it, whatever becomes of the
  // order (as in the fill).
  if (used != nullptr) {
    Exec("UPDATE promotions SET usage_count = usage_count + 1 WHERE promotion_id = " +
         Quote(used->id));
    ++used->usage_count;
  }
  // Lifetime value counts the orders a customer keeps (as in the fill).
  if (!(declined && !retried)) {
    Exec("UPDATE customers SET lifetime_value = lifetime_value + " + FormatCents(total) +
         " WHERE customer_id = " + Quote(customer.id));
  }
  auto payment = [&](const char* payment_status) {
    const std::string card_fields = card ? Quote(FillPattern("####", random_)) + ", " +
                                               (random_.Bernoulli(0.5) ? "'Visa'" : "'Mastercard'")
                                         : "NULL, NULL";
    Exec(
        "INSERT INTO payments (payment_id, order_id, payment_method, payment_status, amount, "
        "transaction_id, card_last_four, card_type) VALUES (" +
        Quote(random_.Uuid(now_micros_ / 1000)) + ", " + Quote(order_id) + ", '" + method + "', '" +
        payment_status + "', " + FormatCents(total) + ", " +
        Quote("txn_" + random_.Uuid(now_micros_ / 1000).substr(24)) + ", " + card_fields + ")");
  };
  if (declined) payment("failed");
  if (!declined || retried) payment("pending");
}

void LiveTrader::ProgressOrder() {
  const double u = random_.Uniform();
  if (u < 0.4) {
    const std::string id = PickOrder("pending");
    if (id.empty()) return NewOrder();
    Exec("UPDATE orders SET order_status = 'processing' WHERE order_id = " + Quote(id));
    Exec("UPDATE payments SET payment_status = 'completed' WHERE order_id = " + Quote(id) +
         " AND payment_status = 'pending'");
  } else if (u < 0.75) {
    const std::string id = PickOrder("processing");
    if (id.empty()) return;
    Exec("UPDATE orders SET order_status = 'shipped' WHERE order_id = " + Quote(id));
    Exec(
        "INSERT INTO shipments (shipment_id, order_id, carrier, tracking_number, "
        "shipment_status, shipped_date, estimated_delivery_date, shipping_cost) VALUES (" +
        Quote(random_.Uuid(now_micros_ / 1000)) + ", " + Quote(id) + ", 'UPS', " +
        Quote(FillPattern("1Z##############", random_)) + ", 'in_transit', " + Now() + ", " +
        Now() + " + INTERVAL 5 DAY, 4.50)");
  } else {
    const std::string id = PickOrder("shipped");
    if (id.empty()) return;
    Exec("UPDATE orders SET order_status = 'delivered' WHERE order_id = " + Quote(id));
    Exec("UPDATE shipments SET shipment_status = 'delivered', actual_delivery_date = GREATEST(" +
         Now() + ", COALESCE(shipped_date, " + Now() + ")) WHERE order_id = " + Quote(id));
  }
}

void LiveTrader::CancelOrder() {
  const std::string id = PickOrder(random_.Bernoulli(0.5) ? "pending" : "processing");
  if (id.empty()) return;
  Exec(
      "UPDATE customers c JOIN orders o ON o.customer_id = c.customer_id SET c.lifetime_value = "
      "c.lifetime_value - o.total_amount WHERE o.order_id = " +
      Quote(id));
  Exec("UPDATE orders SET order_status = 'cancelled' WHERE order_id = " + Quote(id));
  Exec(
      "UPDATE payments SET payment_status = IF(payment_status = 'completed', 'refunded', "
      "'failed') WHERE order_id = " +
      Quote(id) + " AND payment_status IN ('completed', 'pending')");
}

void LiveTrader::ReturnOrder() {
  const std::string id = PickOrder("delivered");
  if (id.empty()) return;
  Exec(
      "UPDATE customers c JOIN orders o ON o.customer_id = c.customer_id SET c.lifetime_value = "
      "c.lifetime_value - o.total_amount WHERE o.order_id = " +
      Quote(id));
  Exec("UPDATE orders SET order_status = 'returned' WHERE order_id = " + Quote(id));
  Exec("UPDATE payments SET payment_status = 'refunded' WHERE order_id = " + Quote(id) +
       " AND payment_status = 'completed'");
  Exec("UPDATE shipments SET shipment_status = 'returned' WHERE order_id = " + Quote(id));
}

void LiveTrader::ChangePrice() {
  ProductRef& product = products_[static_cast<size_t>(random_.UniformInt(0, products_.size() - 1))];
  if (random_.Bernoulli(0.4)) {
    // A temporary markdown for a few days (as in the fill: item discounts,
    // the shelf price stays).
    product.markdown_fraction = random_.Uniform(0.1, 0.35);
    product.markdown_end_micros = now_micros_ + random_.UniformInt(3, 14) * kMicrosPerDay;
  } else {
    const double ratio =
        random_.Bernoulli(0.5) ? random_.Uniform(0.8, 0.95) : random_.Uniform(1.05, 1.2);
    const int64_t price = std::max<int64_t>(
        149, static_cast<int64_t>(std::llround(static_cast<double>(product.price_cents) * ratio)));
    Exec("UPDATE products SET price = " + FormatCents(price) +
         " WHERE product_id = " + Quote(product.id));
    product.price_cents = price;  // only once the row took it
  }
  // The bound must cover every weight a markdown or a cut can reach.
  max_demand_weight_ = std::max(max_demand_weight_, product.DemandWeight(now_micros_));
}

void LiveTrader::NewPromotion() {
  // A code starting now for 5–30 days, drawn like the fill's.
  Promotion promotion;
  promotion.id = random_.Uuid(now_micros_ / 1000);
  promotion.rule.percentage = random_.Bernoulli(0.6);
  if (promotion.rule.percentage) {
    promotion.rule.value = random_.UniformInt(1, 6) * 5;
    promotion.rule.max_discount_cents =
        random_.Bernoulli(0.5) ? random_.UniformInt(2, 10) * 1000 : 0;
  } else {
    promotion.rule.value = random_.UniformInt(1, 5) * 500;
  }
  promotion.rule.min_purchase_cents = random_.UniformInt(0, 4) * 2500;
  promotion.start_micros = now_micros_ / kMicrosPerSecond * kMicrosPerSecond;
  promotion.end_micros = promotion.start_micros + random_.UniformInt(5, 30) * kMicrosPerDay;
  promotion.usage_limit = random_.Bernoulli(0.4) ? 0 : random_.UniformInt(2, 20) * 250;
  promotion.usage_count = 0;
  promotion.active = true;
  const std::string name = promotion.rule.percentage
                               ? std::to_string(promotion.rule.value) + "% off"
                               : "$" + std::to_string(promotion.rule.value / 100) + " off";
  const std::string code = (promotion.rule.percentage ? "SAVE" : "TAKE") +
                           std::to_string(promotion.rule.percentage ? promotion.rule.value
                                                                    : promotion.rule.value / 100) +
                           "-" + promotion.id.substr(24);
  Exec(
      "INSERT INTO promotions (promotion_id, promotion_code, promotion_name, description, "
      "discount_type, discount_value, min_purchase_amount, max_discount_amount, start_date, "
      "end_date, usage_limit, usage_count, is_active) VALUES (" +
      Quote(promotion.id) + ", " + Quote(code) + ", " + Quote(name) + ", " +
      Quote(name + " on orders") + ", '" + (promotion.rule.percentage ? "percentage" : "fixed") +
      "', " +
      FormatCents(promotion.rule.percentage ? promotion.rule.value * 100 : promotion.rule.value) +
      ", " + FormatCents(promotion.rule.min_purchase_cents) + ", " +
      (promotion.rule.max_discount_cents > 0 ? FormatCents(promotion.rule.max_discount_cents)
                                             : "NULL") +
      ", FROM_UNIXTIME(" + SqlSeconds(promotion.start_micros) + "), FROM_UNIXTIME(" +
      SqlSeconds(promotion.end_micros) + "), " +
      (promotion.usage_limit > 0 ? std::to_string(promotion.usage_limit) : "NULL") + ", 0, 1)");
  promotions_.push_back(std::move(promotion));
}

void LiveTrader::MoveInventory() {
  if (inventory_.empty()) return;
  const std::string& id = random_.Pick(inventory_);
  if (random_.Bernoulli(0.3)) {
    Exec(
        "UPDATE inventory SET quantity_available = quantity_available + reorder_quantity, "
        "last_restocked_at = " +
        Now() + " WHERE inventory_id = " + Quote(id));
  } else {
    Exec("UPDATE inventory SET quantity_available = GREATEST(0, quantity_available - " +
         std::to_string(random_.UniformInt(1, 3)) + ") WHERE inventory_id = " + Quote(id));
  }
}

void LiveTrader::AddReview() {
  // By a buyer: a product of a recently delivered (or returned) order placed
  // before this moment; stars around the product's quality, lower after a
  // return, as in the fill.
  auto rows = connection_.Query(
      "SELECT o.customer_id, i.product_id, o.order_status FROM orders o JOIN order_items i ON "
      "i.order_id = o.order_id WHERE o.order_status IN ('delivered', 'returned') AND "
      "o.order_date < " +
      Now() + " ORDER BY o.order_date DESC LIMIT 20");
  if (rows.empty()) return;
  const auto& row = rows[static_cast<size_t>(random_.UniformInt(0, rows.size() - 1))];
  const auto product = product_index_.find(*row[1]);
  const double quality = product == product_index_.end() ? 4.0 : products_[product->second].quality;
  const int rating = SampleRating(random_, quality - (row[2] == "returned" ? 1.5 : 0));
  const ReviewWords words = SampleReviewWords(random_, rating);
  Exec(
      "INSERT INTO reviews (review_id, product_id, customer_id, rating, review_title, "
      "review_text, is_verified_purchase, helpful_count) VALUES (" +
      Quote(random_.Uuid(now_micros_ / 1000)) + ", " + Quote(*row[1]) + ", " + Quote(*row[0]) +
      ", " + std::to_string(rating) + ", " + Quote(std::string(words.title)) + ", " +
      Quote(std::string(words.text)) + ", 1, 0)");
}

void LiveTrader::DeleteSomething() {
  if (random_.Bernoulli(0.6)) {
    auto rows =
        connection_.Query("SELECT review_id FROM reviews ORDER BY created_at DESC LIMIT 20");
    if (rows.empty()) return;
    Exec("DELETE FROM reviews WHERE review_id = " +
         Quote(*rows[static_cast<size_t>(random_.UniformInt(0, rows.size() - 1))][0]));
  } else {
    // An abandoned cancelled order goes, with its items and payments (cascade).
    const std::string id = PickOrder("cancelled");
    if (id.empty()) return;
    Exec("DELETE FROM orders WHERE order_id = " + Quote(id));
  }
}

void LiveTrader::Step(const std::string& action) {
  if (action == "new_order") return NewOrder();
  if (action == "new_customer") return NewCustomer();
  if (action == "progress_order") return ProgressOrder();
  if (action == "cancel_order") return CancelOrder();
  if (action == "return_order") return ReturnOrder();
  if (action == "price_change") return ChangePrice();
  if (action == "new_promotion") return NewPromotion();
  if (action == "inventory") return MoveInventory();
  if (action == "review") return AddReview();
  return DeleteSomething();
}

LiveSummary LiveTrader::Run(const std::atomic<bool>& stop) {
  const auto start = Clock::now();
  const auto period = std::chrono::duration<double>(1.0 / options_.transactions_per_second);
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  int64_t scheduled = 0;
  while (!stop.load()) {
    if (options_.max_seconds > 0 && elapsed() >= options_.max_seconds) break;
    // Absolute schedule: transaction n starts at start + n / rate, so slow
    // transactions are caught up on and the average rate holds.
    const auto due = start + std::chrono::duration_cast<Clock::duration>(period * scheduled);
    while (Clock::now() < due && !stop.load()) {
      std::this_thread::sleep_for(
          std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(50)));
    }
    if (stop.load()) break;
    if (options_.max_seconds > 0 && elapsed() >= options_.max_seconds) break;
    ++scheduled;
    // Active promotion codes draw more orders, by the fill's factor.
    now_micros_ = clock_.NowMicros();
    std::vector<double> weights;
    for (const auto& action : kActions) {
      weights.push_back(action.weight * (std::string_view(action.name) == "new_order"
                                             ? PromotionDemandFactor(ActivePromotions())
                                             : 1.0));
    }
    const std::string action = kActions[random_.WeightedIndex(weights)].name;
    for (int attempt = 0;; ++attempt) {
      const LiveSummary before = summary_;
      try {
        // Every row of the transaction (defaults, ON UPDATE, NOW()) carries
        // the live clock's moment.
        if (attempt > 0) now_micros_ = clock_.NowMicros();
        connection_.Execute("SET timestamp = " + SqlSeconds(now_micros_));
        connection_.Execute("START TRANSACTION");
        Step(action);
        connection_.Execute("COMMIT");
        break;
      } catch (const source::SourceError& e) {
        try {
          connection_.Execute("ROLLBACK");
        } catch (const source::SourceError&) {
        }
        // A duplicate key: a new customer's e-mail or a new code already
        // taken; the retry draws another.
        const bool transient = e.code() == ER_LOCK_DEADLOCK || e.code() == ER_LOCK_WAIT_TIMEOUT ||
                               e.code() == ER_DUP_ENTRY;
        if (!transient || attempt >= 3) throw;
        summary_ = before;  // the rolled-back rows do not count
        ++summary_.retries;
      }
    }
    ++summary_.transactions;
    ++summary_.by_action[action];
  }
  summary_.seconds = elapsed();
  return summary_;
}

}  // namespace futureim::generate

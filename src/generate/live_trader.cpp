#include "generate/live_trader.h"

#include <chrono>
#include <cmath>
#include <thread>

#include <mysqld_error.h>

#include "core/error.h"
#include "core/log.h"
#include "generate/store_row.h"

namespace futureim::generate {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr const char* kMethods[] = {"credit_card", "debit_card", "paypal", "apple_pay"};

struct ActionWeight {
  const char* name;
  double weight;
};
constexpr ActionWeight kActions[] = {
    {"new_order", 0.32},    {"new_customer", 0.07}, {"progress_order", 0.25},
    {"cancel_order", 0.04}, {"return_order", 0.03}, {"price_change", 0.08},
    {"inventory", 0.09},    {"review", 0.07},       {"delete", 0.05},
};

}  // namespace

LiveTrader::LiveTrader(const source::SourceEndpoint& endpoint, LiveOptions options)
    : connection_(source::MysqlConnection::Connect(endpoint)),
      options_(options),
      random_(Random(options.seed).Fork("live")) {
  connection_.Execute("SET SESSION time_zone = '+00:00'");
  for (auto& row :
       connection_.Query("SELECT customer_id, country FROM customers ORDER BY customer_id")) {
    size_t country = 0;
    try {
      country = geography_.IndexOf(row[1].value_or("US"));
    } catch (const std::out_of_range&) {
    }
    customers_.push_back({*row[0], country});
  }
  for (auto& row : connection_.Query(
           "SELECT product_id, ROUND(price * 100) FROM products ORDER BY product_id")) {
    products_.push_back({*row[0], std::stoll(*row[1])});
  }
  for (auto& row : connection_.Query("SELECT inventory_id FROM inventory ORDER BY inventory_id")) {
    inventory_.push_back(*row[0]);
  }
  if (customers_.empty() || products_.empty()) {
    throw core::Error("live trading needs a store with customers and products in " +
                      endpoint.Describe() + ": fill it first (futureim generate --scale S)");
  }
}

std::string LiveTrader::Quote(const std::string& text) {
  return "'" + connection_.Escape(text) + "'";
}

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

void LiveTrader::NewCustomer() {
  const size_t country = geography_.SampleCountry(random_);
  const Address address = geography_.SampleAddress(country, random_);
  const std::string id = random_.Uuid(NowMillis());
  Exec(
      "INSERT INTO customers (customer_id, email, first_name, last_name, phone, address_line1, "
      "address_line2, city, state, postal_code, country, customer_segment, lifetime_value) "
      "VALUES (" +
      Quote(id) + ", " + Quote("live-" + id + "@example.com") + ", 'Live', 'Shopper', " +
      Quote(geography_.SamplePhone(country, random_)) + ", " + Quote(address.line1) + ", " +
      (address.line2.empty() ? "NULL" : Quote(address.line2)) + ", " + Quote(address.city) + ", " +
      Quote(address.state) + ", " + Quote(address.postal_code) + ", " + Quote(address.country) +
      ", 'new', 0.00)");
  customers_.push_back({id, country});
}

void LiveTrader::NewOrder() {
  const CustomerRef& customer = random_.Pick(customers_);
  const Country& country = geography_.country(customer.country);
  const Address address = geography_.SampleAddress(customer.country, random_);
  const std::string order_id = random_.Uuid(NowMillis());
  const int64_t items = random_.UniformInt(1, 5);
  std::vector<std::string> item_rows;
  int64_t subtotal = 0, tax = 0, items_total = 0;
  std::vector<size_t> chosen;
  for (int64_t i = 0; i < items; ++i) {
    const size_t p = static_cast<size_t>(random_.UniformInt(0, products_.size() - 1));
    if (std::find(chosen.begin(), chosen.end(), p) != chosen.end()) continue;
    chosen.push_back(p);
    const int64_t quantity = random_.Bernoulli(0.8) ? 1 : 2;
    const int64_t net = products_[p].price_cents * quantity;
    const int64_t line_tax = static_cast<int64_t>(std::llround(net * country.tax_rate));
    subtotal += net;
    tax += line_tax;
    items_total += net + line_tax;
    item_rows.push_back("(" + Quote(random_.Uuid(NowMillis())) + ", " + Quote(order_id) + ", " +
                        Quote(products_[p].id) + ", " + std::to_string(quantity) + ", " +
                        FormatCents(products_[p].price_cents) + ", 0.00, " + FormatCents(line_tax) +
                        ", " + FormatCents(net + line_tax) + ")");
  }
  const int64_t shipping = subtotal >= 7500 ? 0 : (country.code == "US" ? 599 : 1499);
  const int64_t total = items_total + shipping;
  const char* method = kMethods[random_.UniformInt(0, 3)];
  const bool card = std::string_view(method).ends_with("card");
  const bool declined = random_.Bernoulli(0.05);
  const bool retried = declined && random_.Bernoulli(0.6);
  const char* status = declined && !retried ? "cancelled" : "pending";
  Exec(
      "INSERT INTO orders (order_id, customer_id, order_status, total_amount, tax_amount, "
      "shipping_amount, discount_amount, payment_method, shipping_address_line1, "
      "shipping_address_line2, shipping_city, shipping_state, shipping_postal_code, "
      "shipping_country) VALUES (" +
      Quote(order_id) + ", " + Quote(customer.id) + ", '" + status + "', " + FormatCents(total) +
      ", " + FormatCents(tax) + ", " + FormatCents(shipping) + ", 0.00, '" + method + "', " +
      Quote(address.line1) + ", " + (address.line2.empty() ? "NULL" : Quote(address.line2)) + ", " +
      Quote(address.city) + ", " + Quote(address.state) + ", " + Quote(address.postal_code) + ", " +
      Quote(address.country) + ")");
  std::string sql =
      "INSERT INTO order_items (order_item_id, order_id, product_id, quantity, unit_price, "
      "discount_amount, tax_amount, total_amount) VALUES ";
  for (size_t i = 0; i < item_rows.size(); ++i) sql += (i ? ", " : "") + item_rows[i];
  Exec(sql);
  auto payment = [&](const char* payment_status) {
    const std::string card_fields = card ? Quote(FillPattern("####", random_)) + ", " +
                                               (random_.Bernoulli(0.5) ? "'Visa'" : "'Mastercard'")
                                         : "NULL, NULL";
    Exec(
        "INSERT INTO payments (payment_id, order_id, payment_method, payment_status, amount, "
        "transaction_id, card_last_four, card_type) VALUES (" +
        Quote(random_.Uuid(NowMillis())) + ", " + Quote(order_id) + ", '" + method + "', '" +
        payment_status + "', " + FormatCents(total) + ", " +
        Quote("txn_" + random_.Uuid(NowMillis()).substr(24)) + ", " + card_fields + ")");
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
        Quote(random_.Uuid(NowMillis())) + ", " + Quote(id) + ", 'UPS', " +
        Quote(FillPattern("1Z##############", random_)) +
        ", 'in_transit', UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 5 DAY, 4.50)");
  } else {
    const std::string id = PickOrder("shipped");
    if (id.empty()) return;
    Exec("UPDATE orders SET order_status = 'delivered' WHERE order_id = " + Quote(id));
    Exec(
        "UPDATE shipments SET shipment_status = 'delivered', actual_delivery_date = "
        "GREATEST(UTC_TIMESTAMP(), COALESCE(shipped_date, UTC_TIMESTAMP())) WHERE order_id = " +
        Quote(id));
  }
}

void LiveTrader::CancelOrder() {
  const std::string id = PickOrder(random_.Bernoulli(0.5) ? "pending" : "processing");
  if (id.empty()) return;
  Exec("UPDATE orders SET order_status = 'cancelled' WHERE order_id = " + Quote(id));
  Exec(
      "UPDATE payments SET payment_status = IF(payment_status = 'completed', 'refunded', "
      "'failed') WHERE order_id = " +
      Quote(id) + " AND payment_status IN ('completed', 'pending')");
}

void LiveTrader::ReturnOrder() {
  const std::string id = PickOrder("delivered");
  if (id.empty()) return;
  Exec("UPDATE orders SET order_status = 'returned' WHERE order_id = " + Quote(id));
  Exec("UPDATE payments SET payment_status = 'refunded' WHERE order_id = " + Quote(id) +
       " AND payment_status = 'completed'");
  Exec("UPDATE shipments SET shipment_status = 'returned' WHERE order_id = " + Quote(id));
}

void LiveTrader::ChangePrice() {
  ProductRef& product = products_[static_cast<size_t>(random_.UniformInt(0, products_.size() - 1))];
  const double ratio =
      random_.Bernoulli(0.5) ? random_.Uniform(0.8, 0.95) : random_.Uniform(1.05, 1.2);
  product.price_cents =
      std::max<int64_t>(149, static_cast<int64_t>(std::llround(product.price_cents * ratio)));
  Exec("UPDATE products SET price = " + FormatCents(product.price_cents) +
       " WHERE product_id = " + Quote(product.id));
}

void LiveTrader::MoveInventory() {
  if (inventory_.empty()) return;
  const std::string& id = random_.Pick(inventory_);
  if (random_.Bernoulli(0.3)) {
    Exec(
        "UPDATE inventory SET quantity_available = quantity_available + reorder_quantity, "
        "last_restocked_at = UTC_TIMESTAMP() WHERE inventory_id = " +
        Quote(id));
  } else {
    Exec("UPDATE inventory SET quantity_available = GREATEST(0, quantity_available - " +
         std::to_string(random_.UniformInt(1, 3)) + ") WHERE inventory_id = " + Quote(id));
  }
}

void LiveTrader::AddReview() {
  // By a buyer: a product of a recently delivered order.
  auto rows = connection_.Query(
      "SELECT o.customer_id, i.product_id FROM orders o JOIN order_items i ON i.order_id = "
      "o.order_id WHERE o.order_status = 'delivered' ORDER BY o.order_date DESC LIMIT 20");
  if (rows.empty()) return;
  const auto& row = rows[static_cast<size_t>(random_.UniformInt(0, rows.size() - 1))];
  const int64_t rating = random_.UniformInt(1, 5);
  Exec(
      "INSERT INTO reviews (review_id, product_id, customer_id, rating, review_title, "
      "review_text, is_verified_purchase, helpful_count) VALUES (" +
      Quote(random_.Uuid(NowMillis())) + ", " + Quote(*row[1]) + ", " + Quote(*row[0]) + ", " +
      std::to_string(rating) + ", " + (rating >= 4 ? "'Great'" : "'Not great'") +
      ", 'Posted from the live simulator.', 1, 0)");
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
  if (action == "inventory") return MoveInventory();
  if (action == "review") return AddReview();
  return DeleteSomething();
}

LiveSummary LiveTrader::Run(const std::atomic<bool>& stop) {
  std::vector<double> weights;
  for (const auto& action : kActions) weights.push_back(action.weight);
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
    const std::string action = kActions[random_.WeightedIndex(weights)].name;
    for (int attempt = 0;; ++attempt) {
      const LiveSummary before = summary_;
      try {
        connection_.Execute("START TRANSACTION");
        Step(action);
        connection_.Execute("COMMIT");
        break;
      } catch (const source::SourceError& e) {
        try {
          connection_.Execute("ROLLBACK");
        } catch (const source::SourceError&) {
        }
        const bool transient = e.code() == ER_LOCK_DEADLOCK || e.code() == ER_LOCK_WAIT_TIMEOUT;
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

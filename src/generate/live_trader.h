#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "generate/geography.h"
#include "generate/live_clock.h"
#include "generate/promotion_rule.h"
#include "generate/random.h"
#include "source/mysql_connection.h"
#include "source/source_endpoint.h"

namespace futureim::generate {

struct LiveOptions {
  double transactions_per_second = 10;
  double max_seconds = 0;  // 0: until stopped
  uint64_t seed = 1;       // live randomness is seeded too (a stream of its own)
  // From the fill's ground truth when the same run filled the store. Empty
  // when trading on an existing store: every category then responds with
  // kDefaultElasticity, and a product's quality is estimated from its reviews.
  std::map<std::string, double> category_elasticity;  // category_id → elasticity
  std::map<std::string, double> product_quality;      // product_id → stars
};

// The price response of a category the trader has no truth for.
inline constexpr double kDefaultElasticity = -1.5;

struct LiveSummary {
  int64_t transactions = 0;
  int64_t inserts = 0;  // rows
  int64_t updates = 0;
  int64_t deletes = 0;
  int64_t retries = 0;  // transactions retried after a deadlock, lock timeout or duplicate key
  double seconds = 0;
  std::map<std::string, int64_t> by_action;
};

// Keeps an existing store trading, as a real application would: each step is
// one transaction (START TRANSACTION … COMMIT) of one business action — a new
// customer; a new order with its items and payment (sometimes a declined
// payment and a retry); an order moving pending → processing → shipped →
// delivered with its shipment; a cancellation or a return with its refund; a
// price change or a markdown; a new promotion; an inventory movement; a
// review by a buyer; an occasional delete (a review, an abandoned cancelled
// order). Paced to a target rate of transactions per second.
//
// The same rules as the bulk fill, through the same code: names and
// addresses from the fill's lists and geography; item prices are the shelf
// price now, less an active markdown; order discounts from an active
// promotion code's rule (PromotionRule); products are chosen with weight
// (effective price / price when trading started)^elasticity, so price changes
// and markdowns move demand; ratings are drawn around the product's quality
// (review_rating.h); customers' lifetime_value follows their kept orders.
// Every row is stamped by a LiveClock (session `timestamp`), so live rows
// never precede the store they join.
class LiveTrader {
 public:
  // Connects and loads the ids it trades on. Throws core::Error when the
  // store is empty (nothing to trade on) or unreachable.
  LiveTrader(const source::SourceEndpoint& endpoint, LiveOptions options);

  // Trades until `stop` becomes true (checked between transactions: the
  // current one always finishes) or max_seconds elapse.
  LiveSummary Run(const std::atomic<bool>& stop);

 private:
  struct CustomerRef {
    std::string id;
    size_t country;
    Address address;
  };
  struct ProductRef {
    std::string id;
    int64_t price_cents;
    int64_t reference_cents;  // the shelf price when trading started: demand weight 1
    double elasticity;
    double quality;
    double markdown_fraction = 0;
    int64_t markdown_end_micros = 0;  // the markdown applies while now < end

    int64_t UnitDiscountCents(int64_t now_micros) const;
    double DemandWeight(int64_t now_micros) const;
  };
  struct Promotion {
    std::string id;
    PromotionRule rule;
    int64_t start_micros;
    int64_t end_micros;
    int64_t usage_limit;  // 0: none
    int64_t usage_count;
    bool active;

    bool UsableAt(int64_t now_micros) const;
  };

  void LoadCustomers();
  void LoadProducts();
  void LoadPromotions();
  int64_t StoreLatestMicros();

  void Step(const std::string& action);
  void Exec(const std::string& sql);
  std::string Quote(const std::string& text);
  std::string Now() const;  // the transaction's moment as a SQL TIMESTAMP
  std::string PickOrder(const std::string& status);
  size_t PickProduct();
  int ActivePromotions() const;

  void NewCustomer();
  void NewOrder();
  void ProgressOrder();
  void CancelOrder();
  void ReturnOrder();
  void ChangePrice();
  void NewPromotion();
  void MoveInventory();
  void AddReview();
  void DeleteSomething();

  source::MysqlConnection connection_;
  LiveOptions options_;
  Random random_;
  GeographyCatalogue geography_;
  std::vector<CustomerRef> customers_;
  std::vector<ProductRef> products_;
  std::map<std::string, size_t> product_index_;
  double max_demand_weight_ = 1;  // bound for rejection sampling in PickProduct
  std::vector<Promotion> promotions_;
  std::vector<std::string> inventory_;
  LiveClock clock_;
  int64_t now_micros_ = 0;  // the current transaction's moment
  LiveSummary summary_;
};

}  // namespace futureim::generate

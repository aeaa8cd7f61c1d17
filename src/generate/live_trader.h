#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "generate/geography.h"
#include "generate/random.h"
#include "source/mysql_connection.h"
#include "source/source_endpoint.h"

namespace futureim::generate {

struct LiveOptions {
  double transactions_per_second = 10;
  double max_seconds = 0;  // 0: until stopped
  uint64_t seed = 1;       // live randomness is seeded too (a stream of its own)
};

struct LiveSummary {
  int64_t transactions = 0;
  int64_t inserts = 0;  // rows
  int64_t updates = 0;
  int64_t deletes = 0;
  int64_t retries = 0;  // transactions retried after a deadlock or lock timeout
  double seconds = 0;
  std::map<std::string, int64_t> by_action;
};

// Keeps an existing store trading, as a real application would: each step is
// one transaction (START TRANSACTION … COMMIT) of one business action — a new
// customer; a new order with its items and payment (sometimes a declined
// payment and a retry); an order moving pending → processing → shipped →
// delivered with its shipment; a cancellation or a return with its refund; a
// price change; an inventory movement; a review by a buyer; an occasional
// delete (a review, an abandoned cancelled order). Money follows the same
// rules as the bulk fill. Paced to a target rate of transactions per second.
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
  };
  struct ProductRef {
    std::string id;
    int64_t price_cents;
  };

  void Step(const std::string& action);
  void Exec(const std::string& sql);
  std::string Quote(const std::string& text);
  std::string PickOrder(const std::string& status);

  void NewCustomer();
  void NewOrder();
  void ProgressOrder();
  void CancelOrder();
  void ReturnOrder();
  void ChangePrice();
  void MoveInventory();
  void AddReview();
  void DeleteSomething();

  source::MysqlConnection connection_;
  LiveOptions options_;
  Random random_;
  GeographyCatalogue geography_;
  std::vector<CustomerRef> customers_;
  std::vector<ProductRef> products_;
  std::vector<std::string> inventory_;
  LiveSummary summary_;
};

}  // namespace futureim::generate

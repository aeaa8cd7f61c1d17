// /copilot/*: the Retail Copilot (SPEC.md §4). Questions are answered by
// systems::copilot::RetailCopilot over the lake views; conversations are
// stored per user in the metadata database and only their owner can read,
// continue or delete them. The store views read the curated tier, whose
// personal data is already tokenised and masked (pipeline/pii_protection.h),
// so no role ever sees a raw email or phone number here.

#include <chrono>
#include <mutex>

#include "api/api_error.h"
#include "api/area_routes.h"
#include "engine/sql_text.h"
#include "query/query_error.h"
#include "query/result_format.h"
#include "systems/copilot/conversation_store.h"
#include "systems/copilot/retail_copilot.h"

namespace futureim::api {
namespace {

using systems::copilot::ConversationAccess;
using systems::copilot::ConversationStore;
using systems::copilot::RetailCopilot;

constexpr auto kViewMaxAge = std::chrono::seconds(30);

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json ConversationJson(const systems::copilot::Conversation& conversation) {
  nlohmann::json json = {{"conversation_id", conversation.id},
                         {"user_id", conversation.user_id},
                         {"metadata", conversation.metadata},
                         {"created_at", FormatTimestamp(conversation.created_at_ms)},
                         {"updated_at", FormatTimestamp(conversation.updated_at_ms)}};
  if (!conversation.messages.empty()) {
    json["messages"] = nlohmann::json::array();
    for (const auto& message : conversation.messages) {
      json["messages"].push_back({{"role", message.role},
                                  {"content", message.content},
                                  {"kind", message.kind},
                                  {"sql", message.sql},
                                  {"created_at", FormatTimestamp(message.created_at_ms)}});
    }
  }
  return json;
}

class CopilotArea {
 public:
  CopilotArea(query::QueryRunner& runner, const std::filesystem::path& metadata_file)
      : runner_(runner), store_(metadata_file) {}

  RouteResponse Chat(RequestContext& c) {
    const std::string& user = c.principal->user_id;
    const std::string question = c.body["query"].get<std::string>();
    std::string id = c.body.value("conversation_id", std::string());
    if (id.empty()) {
      id = store_.Create(user, nlohmann::json::object(), NowMs()).id;
    } else {
      systems::copilot::Conversation existing;
      CheckAccess(store_.Get(id, user, &existing));
    }
    const auto previous = store_.LastPlan(id);
    const auto copilot = Copilot();  // kept alive while it answers, even across a refresh
    const auto reply = copilot->Answer(question, previous, Today());
    store_.AddExchange(id, question, reply, NowMs());
    auto body = reply.ToJson();
    body["conversation_id"] = id;
    return {.body = body};
  }

  RouteResponse Conversations(RequestContext& c) {
    const int64_t limit = c.query.value("limit", int64_t{10});
    nlohmann::json list = nlohmann::json::array();
    for (const auto& conversation : store_.List(c.principal->user_id, limit)) {
      list.push_back(ConversationJson(conversation));
    }
    return {.body = {{"conversations", list}, {"count", list.size()}}};
  }

  RouteResponse CreateConversation(RequestContext& c) {
    const auto conversation =
        store_.Create(c.principal->user_id, nlohmann::json::object(), NowMs());
    return {.status = 201,
            .body = {{"conversation_id", conversation.id}, {"user_id", conversation.user_id}}};
  }

  RouteResponse GetConversation(RequestContext& c) {
    systems::copilot::Conversation conversation;
    CheckAccess(store_.Get(c.query["conversation_id"].get<std::string>(), c.principal->user_id,
                           &conversation));
    return {.body = ConversationJson(conversation)};
  }

  RouteResponse DeleteConversation(RequestContext& c) {
    CheckAccess(store_.Delete(c.query["conversation_id"].get<std::string>(), c.principal->user_id));
    return {.body = {{"message", "Conversation deleted"}}};
  }

  // A store view: one guarded SELECT, rows under `key`.
  RouteResponse Rows(const std::string& key, const std::string& sql, nlohmann::json extra = {}) {
    RefreshViewsIfStale();
    try {
      const auto result = runner_.Run(sql, {.timeout = std::chrono::seconds(30), .max_rows = 1000});
      auto rows = nlohmann::json::parse(query::FormatAsJson(result));
      nlohmann::json body = extra.is_object() ? extra : nlohmann::json::object();
      body["count"] = rows.size();
      body[key] = std::move(rows);
      return {.body = body};
    } catch (const query::QueryError& e) {
      throw ApiError(503, "lake_unavailable",
                     std::string("the lake could not answer: ") + e.what());
    }
  }

 private:
  static void CheckAccess(ConversationAccess access) {
    if (access == ConversationAccess::kMissing)
      throw ApiError(404, "not_found", "Conversation not found", "conversation_id");
    if (access == ConversationAccess::kNotOwner)
      throw ApiError(403, "forbidden", "The conversation belongs to another user",
                     "conversation_id");
  }

  static int64_t Today() {
    return std::chrono::duration_cast<std::chrono::days>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  void RefreshViewsIfStale() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - refreshed_ < kViewMaxAge) return;
    runner_.Refresh();
    refreshed_ = now;
    copilot_.reset();  // new names (products, cities) in the vocabulary
  }

  // Built on first use: it reads the store's names from the lake.
  std::shared_ptr<const RetailCopilot> Copilot() {
    RefreshViewsIfStale();
    std::lock_guard lock(mutex_);
    if (!copilot_) {
      try {
        copilot_ = std::make_shared<RetailCopilot>(runner_);
      } catch (const query::QueryError& e) {
        throw ApiError(503, "lake_unavailable",
                       std::string("the copilot needs the curated tier: ") + e.what());
      }
    }
    return copilot_;
  }

  query::QueryRunner& runner_;
  ConversationStore store_;
  std::mutex mutex_;
  std::shared_ptr<RetailCopilot> copilot_;
  std::chrono::steady_clock::time_point refreshed_ = std::chrono::steady_clock::now();
};

FieldSpec Limit(int64_t fallback_max) {
  return FieldSpec{.name = "limit",
                   .type = FieldType::kInteger,
                   .required = false,
                   .description = "rows at most",
                   .min = 1,
                   .max = fallback_max};
}

FieldSpec ConversationId(bool required) {
  return FieldSpec{.name = "conversation_id",
                   .required = required,
                   .description = "a conversation of the caller",
                   .max_length = 64};
}

}  // namespace

void AddCopilotRoutes(RouteTable& table, query::QueryRunner& runner, auth::AuthService& /*auth*/,
                      const std::filesystem::path& metadata_file) {
  auto area = std::make_shared<CopilotArea>(runner, metadata_file);
  const auto viewer = auth::Role::kViewer;
  table.Add(Route{
      .method = "POST",
      .pattern = "/copilot/chat",
      .summary = "Ask a question in plain language: an answer sentence, the rows and the SQL "
                 "(read-only, guarded); follow-ups use the conversation",
      .tag = "copilot",
      .required = viewer,
      .body = {FieldSpec{.name = "query", .description = "the question", .max_length = 4000},
               ConversationId(false)},
      .handler = [area](RequestContext& c) { return area->Chat(c); },
  });
  table.Add(Route{.method = "GET",
                  .pattern = "/copilot/conversations",
                  .summary = "The caller's conversations, most recent first",
                  .tag = "copilot",
                  .required = viewer,
                  .query = {Limit(100)},
                  .handler = [area](RequestContext& c) { return area->Conversations(c); }});
  table.Add(Route{.method = "POST",
                  .pattern = "/copilot/conversation",
                  .summary = "Start a conversation",
                  .tag = "copilot",
                  .required = viewer,
                  .responses = {201},
                  .handler = [area](RequestContext& c) { return area->CreateConversation(c); }});
  table.Add(Route{.method = "GET",
                  .pattern = "/copilot/conversation",
                  .summary = "One conversation of the caller with its messages",
                  .tag = "copilot",
                  .required = viewer,
                  .query = {ConversationId(true)},
                  .handler = [area](RequestContext& c) { return area->GetConversation(c); }});
  table.Add(Route{.method = "DELETE",
                  .pattern = "/copilot/conversation",
                  .summary = "Delete one conversation of the caller",
                  .tag = "copilot",
                  .required = viewer,
                  .query = {ConversationId(true)},
                  .handler = [area](RequestContext& c) { return area->DeleteConversation(c); }});
  table.Add(Route{
      .method = "GET",
      .pattern = "/copilot/inventory",
      .summary = "Stock per product and warehouse, lowest availability first",
      .tag = "copilot",
      .required = viewer,
      .query = {Limit(1000)},
      .handler = [area](RequestContext& c) {
        return area->Rows(
            "inventory",
            "SELECT p.product_id, p.product_name AS name, p.category_id, p.price, "
            "inv.quantity_available, inv.quantity_reserved, inv.warehouse_location, inv.updated_at "
            "AS last_updated FROM curated.inventory inv JOIN curated.products p ON p.product_id = "
            "inv.product_id ORDER BY inv.quantity_available, p.product_id, inv.warehouse_location "
            "LIMIT " +
                std::to_string(c.query.value("limit", int64_t{100})));
      }});
  table.Add(Route{
      .method = "GET",
      .pattern = "/copilot/orders",
      .summary = "Recent orders with their customer (email masked), optionally by status",
      .tag = "copilot",
      .required = viewer,
      .query = {Limit(1000), FieldSpec{.name = "status",
                                       .required = false,
                                       .allowed = {"pending", "processing", "shipped", "delivered",
                                                   "cancelled", "returned"}}},
      .handler = [area](RequestContext& c) {
        const std::string status = c.query.value("status", std::string());
        return area->Rows(
            "orders",
            "SELECT o.order_id, o.customer_id, o.order_date, o.order_status AS status, "
            "o.total_amount, o.payment_method, cu.first_name, cu.last_name, cu.email_masked AS "
            "email FROM curated.orders o LEFT JOIN curated.customers cu ON cu.customer_id = "
            "o.customer_id" +
                (status.empty() ? std::string()
                                : " WHERE o.order_status = " + engine::QuoteLiteral(status)) +
                " ORDER BY o.order_date DESC, o.order_id LIMIT " +
                std::to_string(c.query.value("limit", int64_t{100})));
      }});
  table.Add(Route{
      .method = "GET",
      .pattern = "/copilot/customers",
      .summary = "Customers with their order count and spend (email and phone masked)",
      .tag = "copilot",
      .required = viewer,
      .query = {Limit(1000)},
      .handler = [area](RequestContext& c) {
        return area->Rows(
            "customers",
            "SELECT cu.customer_id, cu.email_masked AS email, cu.first_name, cu.last_name, "
            "cu.phone_masked AS phone, cu.country, cu.city, count(o.order_id) AS total_orders, "
            "coalesce(sum(o.total_amount) FILTER (WHERE o.order_status NOT IN ('cancelled', "
            "'returned')), 0) AS total_spent, cu.created_at FROM curated.customers cu LEFT JOIN "
            "curated.orders o ON o.customer_id = cu.customer_id GROUP BY ALL ORDER BY total_spent "
            "DESC, cu.customer_id LIMIT " +
                std::to_string(c.query.value("limit", int64_t{100})));
      }});
  table.Add(Route{
      .method = "GET",
      .pattern = "/copilot/sales-report",
      .summary = "Orders, customers, revenue and average order value per day over the last N days",
      .tag = "copilot",
      .required = viewer,
      .query = {FieldSpec{.name = "days",
                          .type = FieldType::kInteger,
                          .required = false,
                          .description = "days back from today",
                          .min = 1,
                          .max = 3650}},
      .handler = [area](RequestContext& c) {
        const int64_t days = c.query.value("days", int64_t{30});
        return area->Rows(
            "report",
            "SELECT CAST(order_date AS DATE) AS date, count(*) AS total_orders, count(DISTINCT "
            "customer_id) AS unique_customers, sum(total_amount) AS total_revenue, "
            "avg(total_amount) AS avg_order_value FROM curated.orders WHERE order_status NOT IN "
            "('cancelled', 'returned') AND order_date >= current_date - INTERVAL " +
                std::to_string(days) + " DAY GROUP BY 1 ORDER BY 1 DESC",
            {{"period_days", days}});
      }});
}

}  // namespace futureim::api

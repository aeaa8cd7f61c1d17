#include "generate/store_row.h"

#include <array>
#include <cstdio>

#include "generate/civil_time.h"

namespace futureim::generate {
namespace {

using Columns = std::vector<std::string_view>;

const std::array<Columns, kStoreTableCount>& AllColumns() {
  static const std::array<Columns, kStoreTableCount> columns = {{
      {"customer_id", "email", "first_name", "last_name", "phone", "address_line1", "address_line2",
       "city", "state", "postal_code", "country", "created_at", "updated_at", "is_active",
       "customer_segment", "lifetime_value"},
      {"category_id", "category_name", "parent_category_id", "description", "created_at",
       "updated_at", "is_active"},
      {"product_id", "product_name", "category_id", "description", "sku", "price", "cost", "weight",
       "dimensions", "brand", "manufacturer", "created_at", "updated_at", "is_active"},
      {"inventory_id", "product_id", "warehouse_location", "quantity_available",
       "quantity_reserved", "reorder_point", "reorder_quantity", "last_restocked_at", "created_at",
       "updated_at"},
      {"order_id", "customer_id", "order_date", "order_status", "total_amount", "tax_amount",
       "shipping_amount", "discount_amount", "payment_method", "shipping_address_line1",
       "shipping_address_line2", "shipping_city", "shipping_state", "shipping_postal_code",
       "shipping_country", "created_at", "updated_at"},
      {"order_item_id", "order_id", "product_id", "quantity", "unit_price", "discount_amount",
       "tax_amount", "total_amount", "created_at", "updated_at"},
      {"payment_id", "order_id", "payment_method", "payment_status", "amount", "transaction_id",
       "card_last_four", "card_type", "payment_date", "created_at", "updated_at"},
      {"shipment_id", "order_id", "carrier", "tracking_number", "shipment_status", "shipped_date",
       "estimated_delivery_date", "actual_delivery_date", "shipping_cost", "created_at",
       "updated_at"},
      {"review_id", "product_id", "customer_id", "rating", "review_title", "review_text",
       "is_verified_purchase", "helpful_count", "created_at", "updated_at"},
      {"promotion_id", "promotion_code", "promotion_name", "description", "discount_type",
       "discount_value", "min_purchase_amount", "max_discount_amount", "start_date", "end_date",
       "usage_limit", "usage_count", "is_active", "created_at", "updated_at"},
  }};
  return columns;
}

constexpr std::array<std::string_view, kStoreTableCount> kNames = {
    "customers",   "categories", "products",  "inventory", "orders",
    "order_items", "payments",   "shipments", "reviews",   "promotions"};

}  // namespace

std::string_view TableName(StoreTable table) { return kNames[static_cast<size_t>(table)]; }

std::span<const std::string_view> TableColumns(StoreTable table) {
  return AllColumns()[static_cast<size_t>(table)];
}

StoreRow& StoreRow::Int(int64_t value) {
  char buffer[24];
  const int n = std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(value));
  return Add(std::string_view(buffer, static_cast<size_t>(n)));
}

std::string FormatCents(int64_t cents) {
  char buffer[32];
  const bool negative = cents < 0;
  const unsigned long long magnitude =
      negative ? static_cast<unsigned long long>(-cents) : static_cast<unsigned long long>(cents);
  const int n = std::snprintf(buffer, sizeof buffer, "%s%llu.%02llu", negative ? "-" : "",
                              magnitude / 100, magnitude % 100);
  return std::string(buffer, static_cast<size_t>(n));
}

StoreRow& StoreRow::Cents(int64_t cents) { return Add(FormatCents(cents)); }

StoreRow& StoreRow::Timestamp(int64_t unix_seconds) {
  AppendTimestamp(text_, unix_seconds);
  Close(false);
  return *this;
}

}  // namespace futureim::generate

#include "generate/store_schema.h"

#include <algorithm>
#include <array>

#include "core/error.h"

namespace futureim::generate {
namespace {

// Conventions shared by every table (REFERENCE.md §1.1): created_at and
// updated_at are maintained by the server. Nullable TIMESTAMP columns are
// written `NULL DEFAULT NULL` so they mean the same whatever the server's
// explicit_defaults_for_timestamp.
constexpr std::string_view kTableOptions =
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

struct TableDefinition {
  std::string_view name;
  std::string_view body;  // the column and key definitions between the parentheses
};

// The unique columns (email, sku, promotion_code) carry their unique key
// under the index name the original schema listed for them (idx_email,
// idx_sku, idx_promotion_code). The original declared both a UNIQUE column
// and a separate plain index on the same column: a duplicate index that costs
// every write and that MySQL 8 warns about as deprecated.
constexpr std::array<TableDefinition, 10> kTables = {{
    {"customers",
     "  customer_id VARCHAR(36) NOT NULL,\n"
     "  email VARCHAR(255) NOT NULL,\n"
     "  first_name VARCHAR(100) NOT NULL,\n"
     "  last_name VARCHAR(100) NOT NULL,\n"
     "  phone VARCHAR(20) NULL,\n"
     "  address_line1 VARCHAR(255) NULL,\n"
     "  address_line2 VARCHAR(255) NULL,\n"
     "  city VARCHAR(100) NULL,\n"
     "  state VARCHAR(50) NULL,\n"
     "  postal_code VARCHAR(20) NULL,\n"
     "  country VARCHAR(50) NOT NULL DEFAULT 'US',\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  is_active BOOLEAN NOT NULL DEFAULT TRUE,\n"
     "  customer_segment VARCHAR(50) NULL,\n"
     "  lifetime_value DECIMAL(12,2) NULL DEFAULT 0.00,\n"
     "  PRIMARY KEY (customer_id),\n"
     "  UNIQUE KEY idx_email (email),\n"
     "  KEY idx_created_at (created_at),\n"
     "  KEY idx_customer_segment (customer_segment)\n"},
    {"categories",
     "  category_id VARCHAR(36) NOT NULL,\n"
     "  category_name VARCHAR(100) NOT NULL,\n"
     "  parent_category_id VARCHAR(36) NULL,\n"
     "  description TEXT NULL,\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  is_active BOOLEAN NOT NULL DEFAULT TRUE,\n"
     "  PRIMARY KEY (category_id),\n"
     "  KEY idx_parent_category (parent_category_id),\n"
     "  KEY idx_category_name (category_name),\n"
     "  CONSTRAINT fk_categories_parent FOREIGN KEY (parent_category_id)\n"
     "    REFERENCES categories (category_id) ON DELETE SET NULL\n"},
    {"products",
     "  product_id VARCHAR(36) NOT NULL,\n"
     "  product_name VARCHAR(255) NOT NULL,\n"
     "  category_id VARCHAR(36) NULL,\n"
     "  description TEXT NULL,\n"
     "  sku VARCHAR(100) NOT NULL,\n"
     "  price DECIMAL(10,2) NOT NULL,\n"
     "  cost DECIMAL(10,2) NULL,\n"
     "  weight DECIMAL(8,2) NULL,\n"
     "  dimensions VARCHAR(50) NULL,\n"
     "  brand VARCHAR(100) NULL,\n"
     "  manufacturer VARCHAR(100) NULL,\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  is_active BOOLEAN NOT NULL DEFAULT TRUE,\n"
     "  PRIMARY KEY (product_id),\n"
     "  UNIQUE KEY idx_sku (sku),\n"
     "  KEY idx_category (category_id),\n"
     "  KEY idx_price (price),\n"
     "  KEY idx_brand (brand),\n"
     "  CONSTRAINT fk_products_category FOREIGN KEY (category_id)\n"
     "    REFERENCES categories (category_id) ON DELETE SET NULL\n"},
    {"inventory",
     "  inventory_id VARCHAR(36) NOT NULL,\n"
     "  product_id VARCHAR(36) NOT NULL,\n"
     "  warehouse_location VARCHAR(100) NOT NULL,\n"
     "  quantity_available INT NOT NULL DEFAULT 0,\n"
     "  quantity_reserved INT NOT NULL DEFAULT 0,\n"
     "  reorder_point INT NOT NULL DEFAULT 10,\n"
     "  reorder_quantity INT NOT NULL DEFAULT 50,\n"
     "  last_restocked_at TIMESTAMP NULL DEFAULT NULL,\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  PRIMARY KEY (inventory_id),\n"
     "  KEY idx_product (product_id),\n"
     "  KEY idx_warehouse (warehouse_location),\n"
     "  KEY idx_quantity (quantity_available),\n"
     "  CONSTRAINT fk_inventory_product FOREIGN KEY (product_id)\n"
     "    REFERENCES products (product_id) ON DELETE CASCADE\n"},
    {"orders",
     "  order_id VARCHAR(36) NOT NULL,\n"
     "  customer_id VARCHAR(36) NOT NULL,\n"
     "  order_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  order_status VARCHAR(50) NOT NULL DEFAULT 'pending',\n"
     "  total_amount DECIMAL(12,2) NOT NULL,\n"
     "  tax_amount DECIMAL(10,2) NOT NULL DEFAULT 0.00,\n"
     "  shipping_amount DECIMAL(10,2) NOT NULL DEFAULT 0.00,\n"
     "  discount_amount DECIMAL(10,2) NOT NULL DEFAULT 0.00,\n"
     "  payment_method VARCHAR(50) NULL,\n"
     "  shipping_address_line1 VARCHAR(255) NULL,\n"
     "  shipping_address_line2 VARCHAR(255) NULL,\n"
     "  shipping_city VARCHAR(100) NULL,\n"
     "  shipping_state VARCHAR(50) NULL,\n"
     "  shipping_postal_code VARCHAR(20) NULL,\n"
     "  shipping_country VARCHAR(50) NOT NULL DEFAULT 'US',\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  PRIMARY KEY (order_id),\n"
     "  KEY idx_customer (customer_id),\n"
     "  KEY idx_order_date (order_date),\n"
     "  KEY idx_order_status (order_status),\n"
     "  KEY idx_total_amount (total_amount),\n"
     "  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id)\n"
     "    REFERENCES customers (customer_id) ON DELETE CASCADE\n"},
    {"order_items",
     "  order_item_id VARCHAR(36) NOT NULL,\n"
     "  order_id VARCHAR(36) NOT NULL,\n"
     "  product_id VARCHAR(36) NOT NULL,\n"
     "  quantity INT NOT NULL,\n"
     "  unit_price DECIMAL(10,2) NOT NULL,\n"
     "  discount_amount DECIMAL(10,2) NOT NULL DEFAULT 0.00,\n"
     "  tax_amount DECIMAL(10,2) NOT NULL DEFAULT 0.00,\n"
     "  total_amount DECIMAL(12,2) NOT NULL,\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  PRIMARY KEY (order_item_id),\n"
     "  KEY idx_order (order_id),\n"
     "  KEY idx_product (product_id),\n"
     "  CONSTRAINT fk_order_items_order FOREIGN KEY (order_id)\n"
     "    REFERENCES orders (order_id) ON DELETE CASCADE,\n"
     "  CONSTRAINT fk_order_items_product FOREIGN KEY (product_id)\n"
     "    REFERENCES products (product_id) ON DELETE RESTRICT\n"},
    // Card data is only ever masked: there is no card number, CVV or
    // cardholder column, by design.
    {"payments",
     "  payment_id VARCHAR(36) NOT NULL,\n"
     "  order_id VARCHAR(36) NOT NULL,\n"
     "  payment_method VARCHAR(50) NOT NULL,\n"
     "  payment_status VARCHAR(50) NOT NULL DEFAULT 'pending',\n"
     "  amount DECIMAL(12,2) NOT NULL,\n"
     "  transaction_id VARCHAR(255) NULL,\n"
     "  card_last_four CHAR(4) NULL,\n"
     "  card_type VARCHAR(20) NULL,\n"
     "  payment_date TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  PRIMARY KEY (payment_id),\n"
     "  KEY idx_order (order_id),\n"
     "  KEY idx_payment_status (payment_status),\n"
     "  KEY idx_payment_date (payment_date),\n"
     "  KEY idx_transaction_id (transaction_id),\n"
     "  CONSTRAINT fk_payments_order FOREIGN KEY (order_id)\n"
     "    REFERENCES orders (order_id) ON DELETE CASCADE\n"},
    {"shipments",
     "  shipment_id VARCHAR(36) NOT NULL,\n"
     "  order_id VARCHAR(36) NOT NULL,\n"
     "  carrier VARCHAR(100) NULL,\n"
     "  tracking_number VARCHAR(255) NULL,\n"
     "  shipment_status VARCHAR(50) NOT NULL DEFAULT 'pending',\n"
     "  shipped_date TIMESTAMP NULL DEFAULT NULL,\n"
     "  estimated_delivery_date TIMESTAMP NULL DEFAULT NULL,\n"
     "  actual_delivery_date TIMESTAMP NULL DEFAULT NULL,\n"
     "  shipping_cost DECIMAL(10,2) NULL,\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  PRIMARY KEY (shipment_id),\n"
     "  KEY idx_order (order_id),\n"
     "  KEY idx_tracking_number (tracking_number),\n"
     "  KEY idx_shipment_status (shipment_status),\n"
     "  KEY idx_shipped_date (shipped_date),\n"
     "  CONSTRAINT fk_shipments_order FOREIGN KEY (order_id)\n"
     "    REFERENCES orders (order_id) ON DELETE CASCADE\n"},
    {"reviews",
     "  review_id VARCHAR(36) NOT NULL,\n"
     "  product_id VARCHAR(36) NOT NULL,\n"
     "  customer_id VARCHAR(36) NOT NULL,\n"
     "  rating INT NOT NULL,\n"
     "  review_title VARCHAR(255) NULL,\n"
     "  review_text TEXT NULL,\n"
     "  is_verified_purchase BOOLEAN NOT NULL DEFAULT FALSE,\n"
     "  helpful_count INT NOT NULL DEFAULT 0,\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  PRIMARY KEY (review_id),\n"
     "  KEY idx_product (product_id),\n"
     "  KEY idx_customer (customer_id),\n"
     "  KEY idx_rating (rating),\n"
     "  KEY idx_created_at (created_at),\n"
     "  CONSTRAINT chk_reviews_rating CHECK (rating BETWEEN 1 AND 5),\n"
     "  CONSTRAINT fk_reviews_product FOREIGN KEY (product_id)\n"
     "    REFERENCES products (product_id) ON DELETE CASCADE,\n"
     "  CONSTRAINT fk_reviews_customer FOREIGN KEY (customer_id)\n"
     "    REFERENCES customers (customer_id) ON DELETE CASCADE\n"},
    // discount_type is 'percentage' or 'fixed' (a free VARCHAR, as every
    // enumeration in this schema).
    {"promotions",
     "  promotion_id VARCHAR(36) NOT NULL,\n"
     "  promotion_code VARCHAR(50) NOT NULL,\n"
     "  promotion_name VARCHAR(255) NOT NULL,\n"
     "  description TEXT NULL,\n"
     "  discount_type VARCHAR(20) NOT NULL,\n"
     "  discount_value DECIMAL(10,2) NOT NULL,\n"
     "  min_purchase_amount DECIMAL(10,2) NULL,\n"
     "  max_discount_amount DECIMAL(10,2) NULL,\n"
     "  start_date TIMESTAMP NOT NULL,\n"
     "  end_date TIMESTAMP NOT NULL,\n"
     "  usage_limit INT NULL,\n"
     "  usage_count INT NOT NULL DEFAULT 0,\n"
     "  is_active BOOLEAN NOT NULL DEFAULT TRUE,\n"
     "  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
     "  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
     "  PRIMARY KEY (promotion_id),\n"
     "  UNIQUE KEY idx_promotion_code (promotion_code),\n"
     "  KEY idx_start_date (start_date),\n"
     "  KEY idx_end_date (end_date),\n"
     "  KEY idx_is_active (is_active)\n"},
}};

constexpr std::array<std::string_view, kTables.size()> TableNames() {
  std::array<std::string_view, kTables.size()> names{};
  for (size_t i = 0; i < kTables.size(); ++i) {
    names[i] = kTables[i].name;
  }
  return names;
}

constexpr std::array<std::string_view, kTables.size()> kTableNames = TableNames();

}  // namespace

std::span<const std::string_view> StoreTableNames() { return kTableNames; }

namespace {

std::string CreateStatement(std::string_view name, std::string_view body) {
  std::string sql = "CREATE TABLE IF NOT EXISTS ";
  sql += name;
  sql += " (\n";
  sql += body;
  sql += ") ";
  sql += kTableOptions;
  return sql;
}

// The definitions of a table body, one per element, without the separating
// ",\n" (no definition contains one: DECIMAL(12,2) has a comma, no newline).
std::vector<std::string_view> SplitDefinitions(std::string_view body) {
  std::vector<std::string_view> definitions;
  while (!body.empty()) {
    const size_t end = body.find(",\n");
    if (end == std::string_view::npos) {
      definitions.push_back(body.substr(0, body.size() - (body.ends_with("\n") ? 1 : 0)));
      break;
    }
    definitions.push_back(body.substr(0, end));
    body.remove_prefix(end + 2);
  }
  return definitions;
}

bool IsSecondaryKey(std::string_view definition) {
  return definition.starts_with("  KEY ") || definition.starts_with("  UNIQUE KEY ") ||
         definition.find(" FOREIGN KEY ") != std::string_view::npos;
}

void PrepareSchemaSession(source::MysqlConnection& connection) {
  if (!connection.QueryScalar("SELECT DATABASE()")) {
    throw core::Error("cannot create the store schema on " + connection.endpoint().Describe() +
                      ": no database selected (put it in the URI, e.g. "
                      "mysql://user@host:3306/ecommerce)");
  }
  // With explicit_defaults_for_timestamp OFF (MariaDB before 10.10, MySQL
  // 5.7) the first `TIMESTAMP NOT NULL` column without a default silently
  // gets DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP: promotions'
  // start_date would change on every update. MySQL 8 and MariaDB 10.10+
  // default to ON.
  if (connection.QueryScalar("SELECT @@SESSION.explicit_defaults_for_timestamp") != "1") {
    try {
      connection.Execute("SET SESSION explicit_defaults_for_timestamp = ON");
    } catch (const source::SourceError& e) {
      throw core::Error(
          "cannot create the store schema on " + connection.endpoint().Describe() +
          ": the server has explicit_defaults_for_timestamp=OFF and this session may not turn it "
          "on (" +
          e.what() + "); set it ON in the server's configuration");
    }
  }
}

}  // namespace

std::vector<std::string> StoreSchemaStatements() {
  std::vector<std::string> statements;
  statements.reserve(kTables.size());
  for (const auto& table : kTables) {
    statements.push_back(CreateStatement(table.name, table.body));
  }
  return statements;
}

BulkLoadSchema SplitForBulkLoad(std::string_view table) {
  for (const auto& definition : kTables) {
    if (definition.name != table) continue;
    const auto parts = SplitDefinitions(definition.body);
    // MariaDB 10.11 records a foreign key added by ALTER TABLE with ON
    // DELETE RESTRICT as ON DELETE NO ACTION (the same behaviour in InnoDB,
    // a different SHOW CREATE TABLE). Such a key stays in the CREATE, and so
    // do all indexes of its table (SHOW CREATE TABLE lists indexes in the
    // order they were made); only the table's other foreign keys wait.
    const bool keeps_indexes = std::any_of(parts.begin(), parts.end(), [](std::string_view part) {
      return part.find(" FOREIGN KEY ") != std::string_view::npos &&
             part.find("ON DELETE RESTRICT") != std::string_view::npos;
    });
    auto deferred = [&](std::string_view part) {
      if (!IsSecondaryKey(part)) return false;
      if (!keeps_indexes) return true;
      return part.find(" FOREIGN KEY ") != std::string_view::npos &&
             part.find("ON DELETE RESTRICT") == std::string_view::npos;
    };
    std::string body, keys;
    for (std::string_view part : parts) {
      std::string& into = deferred(part) ? keys : body;
      if (!into.empty()) into += ",\n";
      if (deferred(part)) {
        into += "  ADD";
        into += part.substr(1);  // "  KEY …" becomes "  ADD KEY …"
      } else {
        into += part;
      }
    }
    BulkLoadSchema split;
    split.create_without_keys = CreateStatement(definition.name, body + "\n");
    if (!keys.empty()) split.add_keys = "ALTER TABLE " + std::string(table) + "\n" + keys;
    return split;
  }
  throw std::invalid_argument("not a store table: " + std::string(table));
}

void ApplyStoreSchema(source::MysqlConnection& connection) {
  PrepareSchemaSession(connection);
  for (const auto& statement : StoreSchemaStatements()) {
    connection.Execute(statement);
  }
}

std::vector<std::string> ApplyStoreSchemaDeferringKeys(source::MysqlConnection& connection) {
  PrepareSchemaSession(connection);
  std::vector<std::string> deferred;
  for (const auto& definition : kTables) {
    const std::string name(definition.name);
    const bool exists =
        connection.QueryScalar(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
            "table_name = '" +
            name + "'") == "1";
    if (exists) continue;  // an existing (empty) table keeps its keys, and loads slower
    const BulkLoadSchema split = SplitForBulkLoad(name);
    connection.Execute(split.create_without_keys);
    if (!split.add_keys.empty()) deferred.push_back(split.add_keys);
  }
  return deferred;
}

}  // namespace futureim::generate

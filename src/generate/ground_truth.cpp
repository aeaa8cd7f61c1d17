#include "generate/ground_truth.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "generate/civil_time.h"
#include "generate/store_row.h"

namespace futureim::generate {

std::string_view ArchetypeName(Archetype archetype) {
  switch (archetype) {
    case Archetype::kLoyal:
      return "loyal";
    case Archetype::kOccasional:
      return "occasional";
    case Archetype::kOneTime:
      return "one_time";
    case Archetype::kChurning:
      return "churning";
  }
  return "?";
}

std::string_view FraudPatternName(FraudPattern pattern) {
  switch (pattern) {
    case FraudPattern::kCardTesting:
      return "card_testing";
    case FraudPattern::kAccountTakeover:
      return "account_takeover";
    case FraudPattern::kVelocityBurst:
      return "velocity_burst";
    case FraudPattern::kRefundAbuse:
      return "refund_abuse";
  }
  return "?";
}

std::string_view PriceChangeCauseName(PriceChangeCause cause) {
  switch (cause) {
    case PriceChangeCause::kProduct:
      return "product";
    case PriceChangeCause::kCategoryLevel:
      return "category_level";
  }
  return "?";
}

namespace {

// Writes a whole file and checks every step, so a full disk is an error and
// never a silently truncated truth file.
void WriteFile(const std::filesystem::path& path, const std::string& content) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) {
    throw core::Error("cannot write " + temporary.string() + ": " + std::strerror(errno));
  }
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  const int write_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    std::filesystem::remove(temporary);
    throw core::Error("cannot write " + path.string() + ": " +
                      std::strerror(written ? errno : write_errno));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw core::Error("cannot write " + path.string() + ": " + error.message());
}

std::string Day(int64_t day) { return day < 0 ? "" : FormatIsoDate(day); }

std::string Number(double value) {
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

}  // namespace

void WriteGroundTruth(const GroundTruth& truth, const std::filesystem::path& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    throw core::Error("cannot create the truth folder " + directory.string() + ": " +
                      error.message());
  }
  WriteFile(directory / "parameters.json", truth.parameters.dump(2) + "\n");

  std::string csv = "customer_id,archetype,country,signup_date,churn_date,orders_per_year\n";
  for (const auto& c : truth.customers) {
    csv += c.customer_id + "," + std::string(ArchetypeName(c.archetype)) + "," + c.country + "," +
           Day(c.signup_day) + "," + Day(c.churn_day) + "," + Number(c.orders_per_year) + "\n";
  }
  WriteFile(directory / "customers.csv", csv);

  csv = "category_id,category_name,parent_category_id,level,is_leaf,elasticity,annual_growth\n";
  for (const auto& c : truth.categories) {
    csv += c.category_id + ",\"" + c.name + "\"," + c.parent_category_id + "," +
           std::to_string(c.level) + "," + (c.is_leaf ? "1" : "0") + "," +
           (c.is_leaf ? Number(c.elasticity) : "") + "," +
           (c.is_leaf ? Number(c.annual_growth) : "") + "\n";
  }
  WriteFile(directory / "categories.csv", csv);

  csv = "product_id,category_id,quality\n";
  for (const auto& p : truth.products) {
    csv += p.product_id + "," + p.category_id + "," + Number(p.quality) + "\n";
  }
  WriteFile(directory / "products.csv", csv);

  csv = "product_id,category_id,change_date,old_price,new_price,cause\n";
  for (const auto& p : truth.price_changes) {
    csv += p.product_id + "," + p.category_id + "," + Day(p.day) + "," + FormatCents(p.old_cents) +
           "," + FormatCents(p.new_cents) + "," + std::string(PriceChangeCauseName(p.cause)) + "\n";
  }
  WriteFile(directory / "price_changes.csv", csv);

  csv = "category_id,first_date,end_date_exclusive,price_level\n";
  for (const auto& level : truth.category_price_levels) {
    csv += level.category_id + "," + Day(level.first_day) + "," + Day(level.end_day) + "," +
           Number(level.factor) + "\n";
  }
  WriteFile(directory / "category_price_levels.csv", csv);

  csv = "product_id,first_date,end_date_exclusive,discount_fraction\n";
  for (const auto& m : truth.markdowns) {
    csv += m.product_id + "," + Day(m.first_day) + "," + Day(m.end_day) + "," +
           Number(m.discount_fraction) + "\n";
  }
  WriteFile(directory / "markdowns.csv", csv);

  csv = "bundle_id,bundle_size,inclusion_probability,product_a,product_b,pair_orders,lift\n";
  for (const auto& b : truth.bundles) {
    for (size_t i = 0; i < b.pairs.size(); ++i) {
      csv += b.bundle_id + "," + std::to_string(b.product_ids.size()) + "," +
             Number(b.inclusion_probability) + "," + b.product_ids[b.pairs[i].first] + "," +
             b.product_ids[b.pairs[i].second] + "," + std::to_string(b.pair_orders[i]) + "," +
             Number(b.pair_lifts[i]) + "\n";
    }
  }
  WriteFile(directory / "bundles.csv", csv);

  csv = "order_id,customer_id,pattern,incident\n";
  for (const auto& f : truth.fraud) {
    csv += f.order_id + "," + f.customer_id + "," + std::string(FraudPatternName(f.pattern)) + "," +
           std::to_string(f.group) + "\n";
  }
  WriteFile(directory / "fraud.csv", csv);
}

}  // namespace futureim::generate

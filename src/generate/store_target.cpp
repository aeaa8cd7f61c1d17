#include "generate/store_target.h"

#include <ranges>

#include "core/error.h"
#include "generate/store_schema.h"

namespace futureim::generate {

StoreTarget StoreTarget::Parse(std::string_view text, const std::string& password) {
  StoreTarget target;
  if (text.starts_with("csv:")) {
    target.kind = Kind::kCsv;
    std::string_view path = text.substr(4);
    if (path.starts_with("//")) path.remove_prefix(2);  // csv:///abs/path
    if (path.empty()) throw core::Error("the CSV target needs a folder: --target csv:DIR");
    target.csv_directory = std::filesystem::path(std::string(path));
    return target;
  }
  if (!text.starts_with("mysql://") && !text.starts_with("mariadb://")) {
    throw core::Error("unknown target '" + std::string(text.substr(0, text.find('@'))) +
                      "…': use mysql://user@host:port/database or csv:DIR");
  }
  target.endpoint = source::SourceEndpoint::FromUri(text);
  if (target.endpoint.password.empty()) target.endpoint.password = password;
  if (target.endpoint.database.empty()) {
    throw core::Error("the target " + target.endpoint.Describe() +
                      " names no database: add it, e.g. mysql://user@host:3306/ecommerce");
  }
  return target;
}

std::string StoreTarget::Describe() const {
  return kind == Kind::kCsv ? "csv:" + csv_directory.string() : endpoint.Describe();
}

std::filesystem::path StoreTarget::DefaultTruthDirectory() const {
  if (kind == Kind::kCsv) {
    const auto absolute = std::filesystem::absolute(csv_directory).lexically_normal();
    auto parent =
        absolute.has_filename() ? absolute.parent_path() : absolute.parent_path().parent_path();
    return parent / "truth";
  }
  return std::filesystem::path("truth");
}

bool StoreHasData(source::MysqlConnection& connection) {
  for (auto table : StoreTableNames()) {
    const auto exists = connection.QueryScalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
        "table_name = '" +
        std::string(table) + "'");
    if (exists != "1") continue;
    if (!connection.Query("SELECT 1 FROM " + std::string(table) + " LIMIT 1").empty()) return true;
  }
  return false;
}

void DropStore(source::MysqlConnection& connection) {
  // Children first, so no foreign key blocks a drop; the session's own
  // foreign_key_checks is left alone.
  auto names = StoreTableNames();
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    connection.Execute("DROP TABLE IF EXISTS " + std::string(*it));
  }
}

}  // namespace futureim::generate

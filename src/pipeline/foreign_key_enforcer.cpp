#include "pipeline/foreign_key_enforcer.h"

#include <set>

#include "engine/sql_text.h"
#include "pipeline/validation_rules.h"

namespace futureim::pipeline {

using engine::QuoteIdentifier;
using engine::QuoteLiteral;

ForeignKeyEnforcer::ForeignKeyEnforcer(engine::Connection& connection,
                                       std::vector<MergedTableWithKeys>& tables)
    : connection_(connection), tables_(tables) {}

const MergedTableWithKeys* ForeignKeyEnforcer::Find(const std::string& name) const {
  for (const auto& table : tables_) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

uint64_t ForeignKeyEnforcer::ApplyOnDeleteActions() {
  uint64_t total = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& child : tables_) {
      for (const auto& fk : child.foreign_keys) {
        const auto* parent = Find(fk.parent);
        if (parent == nullptr || fk.columns.empty()) continue;
        const std::string match = ColumnsMatch("child", fk.columns, "gone", fk.parent_columns) +
                                  " AND child._seq < gone._del_seq";
        const std::string state = child.merged.state;
        if (fk.on_delete == "CASCADE") {
          connection_.Execute(
              "INSERT INTO " + child.merged.deleted +
              " BY NAME SELECT child.* EXCLUDE (_ref_rule), max(gone._del_seq) AS _del_seq FROM " +
              state + " AS child JOIN " + parent->merged.deleted + " AS gone ON " + match +
              " GROUP BY ALL");
          const auto removed =
              connection_
                  .Query("DELETE FROM " + state + " AS child WHERE EXISTS (SELECT 1 FROM " +
                         parent->merged.deleted + " AS gone WHERE " + match + ")")
                  .RowsChanged();
          total += removed;
          changed = changed || removed > 0;
        } else if (fk.on_delete == "SET NULL") {
          std::string assignments;
          for (const auto& column : fk.columns) {
            assignments += (assignments.empty() ? "" : ", ") + QuoteIdentifier(column) + " = NULL";
          }
          const auto updated = connection_
                                   .Query("UPDATE " + state + " AS child SET " + assignments +
                                          " WHERE EXISTS (SELECT 1 FROM " + parent->merged.deleted +
                                          " AS gone WHERE " + match + ")")
                                   .RowsChanged();
          total += updated;
          changed = changed || updated > 0;
        }
      }
    }
  }
  return total;
}

std::vector<size_t> ForeignKeyEnforcer::TopologicalOrder() const {
  std::vector<size_t> order;
  std::set<size_t> placed;
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < tables_.size(); ++i) {
      if (placed.count(i)) continue;
      bool ready = true;
      for (const auto& fk : tables_[i].foreign_keys) {
        if (fk.parent == tables_[i].name) continue;  // self reference
        for (size_t j = 0; j < tables_.size(); ++j) {
          if (tables_[j].name == fk.parent && !placed.count(j)) ready = false;
        }
      }
      if (ready) {
        order.push_back(i);
        placed.insert(i);
        progress = true;
      }
    }
  }
  for (size_t i = 0; i < tables_.size(); ++i) {
    if (!placed.count(i)) order.push_back(i);
  }
  return order;
}

void ForeignKeyEnforcer::ApplyReferenceRules() {
  std::set<std::string> finished;
  for (const size_t index : TopologicalOrder()) {
    auto& child = tables_[index];
    for (const auto& fk : child.foreign_keys) {
      const auto* parent = Find(fk.parent);
      if (parent == nullptr || fk.columns.empty()) continue;
      // A finished parent's valid rows are final; otherwise (a cycle) the
      // rows that pass the row rules.
      std::string valid = "parent._row_rule IS NULL";
      if (finished.count(fk.parent) && fk.parent != child.name) {
        valid += " AND parent._ref_rule IS NULL";
      }
      std::string not_null;
      for (const auto& column : fk.columns) {
        not_null += " AND child." + QuoteIdentifier(column) + " IS NOT NULL";
      }
      connection_.Execute(
          "UPDATE " + child.merged.state + " AS child SET _ref_rule = " +
          QuoteLiteral(ReferenceRuleName(fk.name)) + " WHERE child._ref_rule IS NULL" + not_null +
          " AND NOT EXISTS (SELECT 1 FROM " + parent->merged.state + " AS parent WHERE " +
          ColumnsMatch("parent", fk.parent_columns, "child", fk.columns) + " AND " + valid + ")");
    }
    finished.insert(child.name);
  }
}

}  // namespace futureim::pipeline

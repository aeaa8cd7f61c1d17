#include "lake/raw_current_state.h"

#include <algorithm>
#include <functional>
#include <set>

#include "core/error.h"
#include "engine/sql_text.h"

namespace futureim::lake {
namespace {

using engine::QuoteIdentifier;

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// "a.x = b.y AND …" over two equally long column lists.
std::string ColumnsEqual(const std::string& a, const std::vector<std::string>& a_columns,
                         const std::string& b, const std::vector<std::string>& b_columns) {
  std::vector<std::string> terms;
  for (size_t i = 0; i < a_columns.size(); ++i) {
    terms.push_back(a + "." + QuoteIdentifier(a_columns[i]) + " = " + b + "." +
                    QuoteIdentifier(b_columns[i]));
  }
  return Join(terms, " AND ");
}

bool ChangesRows(const ForeignKeyRule& rule) {
  return rule.on_delete == "CASCADE" || rule.on_delete == "SET NULL";
}

// CTE names per table index: changes, state, after own cascades, gone
// events, truncate markers, reloaded keys.
std::string Cte(const char* kind, size_t index) {
  return "_" + std::string(kind) + std::to_string(index);
}

}  // namespace

nlohmann::json ForeignKeyRuleToJson(const ForeignKeyRule& rule) {
  return {{"name", rule.name},
          {"columns", rule.columns},
          {"parent_schema", rule.parent_schema},
          {"parent_table", rule.parent_table},
          {"parent_columns", rule.parent_columns},
          {"on_delete", rule.on_delete},
          {"on_update", rule.on_update}};
}

ForeignKeyRule ForeignKeyRuleFromJson(const nlohmann::json& json) {
  ForeignKeyRule rule;
  rule.name = json.at("name").get<std::string>();
  rule.columns = json.at("columns").get<std::vector<std::string>>();
  rule.parent_schema = json.at("parent_schema").get<std::string>();
  rule.parent_table = json.at("parent_table").get<std::string>();
  rule.parent_columns = json.at("parent_columns").get<std::vector<std::string>>();
  rule.on_delete = json.at("on_delete").get<std::string>();
  rule.on_update = json.at("on_update").get<std::string>();
  return rule;
}

RawCurrentState::RawCurrentState(std::vector<RawTableChanges> tables) {
  for (auto& t : tables) {
    const std::string key = Key(t.schema, t.table);
    tables_[key].changes = std::move(t);
  }
  // Applicable rules: an ON DELETE action that changes rows, a parent here
  // with a primary key, matching column counts.
  for (auto& [key, table] : tables_) {
    const auto& fks = table.changes.foreign_keys;
    for (size_t i = 0; i < fks.size(); ++i) {
      const auto parent = tables_.find(Key(fks[i].parent_schema, fks[i].parent_table));
      if (!ChangesRows(fks[i]) || parent == tables_.end() ||
          parent->second.changes.primary_key.empty() || fks[i].columns.empty() ||
          fks[i].columns.size() != fks[i].parent_columns.size()) {
        continue;
      }
      table.rules.push_back(i);
    }
  }
  // Break cycles through different tables, the same way for every target: a
  // depth-first walk over parents in name order ignores each back edge.
  enum class Mark { kNone, kActive, kDone };
  std::map<std::string, Mark> marks;
  std::function<void(const std::string&)> visit = [&](const std::string& key) {
    marks[key] = Mark::kActive;
    auto& table = tables_.at(key);
    std::vector<size_t> kept;
    for (const size_t r : table.rules) {
      const auto& fk = table.changes.foreign_keys[r];
      const std::string parent = Key(fk.parent_schema, fk.parent_table);
      if (parent != key && marks[parent] == Mark::kActive) {
        ignored_[key].push_back(r);
        continue;
      }
      kept.push_back(r);
      if (parent != key && marks[parent] == Mark::kNone) visit(parent);
    }
    table.rules = std::move(kept);
    marks[key] = Mark::kDone;
  };
  for (const auto& [key, table] : tables_) {
    if (marks[key] == Mark::kNone) visit(key);
  }
}

std::vector<std::string> RawCurrentState::IgnoredRules() const {
  std::vector<std::string> out;
  for (const auto& [key, rules] : ignored_) {
    for (const size_t r : rules) {
      const auto& fk = tables_.at(key).changes.foreign_keys[r];
      out.push_back(key + ": " + fk.name + " → " + fk.parent_schema + "." + fk.parent_table +
                    " ON DELETE " + fk.on_delete + " (closes a cycle; not applied)");
    }
  }
  return out;
}

bool RawCurrentState::HasCurrentState(const std::string& schema, const std::string& table) const {
  const auto it = tables_.find(Key(schema, table));
  return it != tables_.end() && !it->second.changes.primary_key.empty();
}

std::vector<std::string> RawCurrentState::Ancestry(const std::string& target) const {
  std::vector<std::string> order;
  std::set<std::string> seen;
  std::function<void(const std::string&)> visit = [&](const std::string& key) {
    if (!seen.insert(key).second) return;
    const auto& table = tables_.at(key);
    for (const size_t r : table.rules) {
      const auto& fk = table.changes.foreign_keys[r];
      const std::string parent = Key(fk.parent_schema, fk.parent_table);
      if (parent != key) visit(parent);
    }
    order.push_back(key);
  };
  visit(target);
  return order;
}

std::string RawCurrentState::Select(const std::string& schema, const std::string& table) const {
  const std::string target = Key(schema, table);
  if (!HasCurrentState(schema, table)) {
    throw core::Error("no current state for " + target +
                      ": the table is not in the raw tier or has no primary key");
  }
  const std::vector<std::string> order = Ancestry(target);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < order.size(); ++i) index[order[i]] = i;

  // The referenced columns of each table that is a parent of another one here.
  std::map<std::string, std::vector<std::string>> referenced;
  for (const auto& key : order) {
    const auto& t = tables_.at(key);
    for (const size_t r : t.rules) {
      const auto& fk = t.changes.foreign_keys[r];
      auto& columns = referenced[Key(fk.parent_schema, fk.parent_table)];
      for (const auto& c : fk.parent_columns) {
        if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
      }
    }
  }

  std::vector<std::string> ctes;
  bool recursive = false;
  std::string final_select;
  for (size_t i = 0; i < order.size(); ++i) {
    const std::string& key = order[i];
    const Table& t = tables_.at(key);
    const auto& fks = t.changes.foreign_keys;
    std::vector<std::string> pk;
    for (const auto& c : t.changes.primary_key) pk.push_back(QuoteIdentifier(c));
    const std::string c = Cte("c", i), s = Cte("s", i), a = Cte("a", i), g = Cte("g", i);

    ctes.push_back(c + " AS (SELECT * FROM " + t.changes.changes + ")");
    ctes.push_back(s + " AS (SELECT * FROM (SELECT * FROM " + c + " WHERE _op <> 'T' AND _seq > " +
                   "(SELECT coalesce(max(_seq), 0) FROM " + c +
                   " WHERE _op = 'T') QUALIFY row_number() OVER (PARTITION BY " + Join(pk, ", ") +
                   " ORDER BY _seq DESC) = 1) WHERE _op <> 'D')");

    // The cut of rule r for a row aliased x: the first removal of the parent
    // key it references after its own last change.
    auto cut = [&](size_t r, bool self) {
      const auto& fk = fks[r];
      const size_t p = index.at(Key(fk.parent_schema, fk.parent_table));
      std::string gone = "(SELECT min(_gone) FROM " + Cte("g", p) + " AS gp WHERE " +
                         ColumnsEqual("gp", fk.parent_columns, "x", fk.columns) +
                         " AND gp._gone > x._seq)";
      if (self) return gone;  // a table's own truncate already removed its older rows
      std::vector<std::string> not_null;
      for (const auto& column : fk.columns) {
        not_null.push_back("x." + QuoteIdentifier(column) + " IS NOT NULL");
      }
      const std::string truncated = "(SELECT min(tp._t) FROM " + Cte("t", p) +
                                    " AS tp WHERE tp._t > x._seq AND " + Join(not_null, " AND ") +
                                    " AND NOT EXISTS (SELECT 1 FROM " + Cte("l", p) +
                                    " AS lp WHERE lp._t = tp._t AND " +
                                    ColumnsEqual("lp", fk.parent_columns, "x", fk.columns) + "))";
      return "least(" + gone + ", " + truncated + ")";
    };

    // Rules to other tables first: they decide which rows the table's own
    // cascades remove, which its self references then see as gone.
    std::vector<std::string> cut_columns, removed;
    std::map<std::string, std::vector<std::string>> null_when;  // column → cut names
    // Adds rule r's cut as a column of `select`; a CASCADE cut goes to
    // `cascades`, a SET NULL cut nulls the rule's columns.
    auto add_cut = [&](size_t r, bool self, std::string& select,
                       std::vector<std::string>& cascades) {
      const auto& fk = fks[r];
      const std::string name = "_cut" + std::to_string(r);
      select += ", " + cut(r, self) + " AS " + name;
      cut_columns.push_back(name);
      if (fk.on_delete == "CASCADE") {
        cascades.push_back(name);
      } else {
        for (const auto& column : fk.columns) null_when[column].push_back(name);
      }
    };
    std::string with_cuts = "SELECT x.*";
    std::vector<size_t> self_rules;
    for (const size_t r : t.rules) {
      const auto& fk = fks[r];
      if (Key(fk.parent_schema, fk.parent_table) == key) {
        self_rules.push_back(r);
      } else {
        add_cut(r, false, with_cuts, removed);
      }
    }
    const std::string removed_at = removed.empty()       ? "CAST(NULL AS BIGINT)"
                                   : removed.size() == 1 ? removed[0]
                                                         : "least(" + Join(removed, ", ") + ")";
    ctes.push_back(a + " AS (SELECT *, " + removed_at + " AS _removed FROM (" + with_cuts +
                   " FROM " + s + " AS x))");

    const auto ref = referenced.find(key);
    if (ref != referenced.end()) {
      std::vector<std::string> cols;
      for (const auto& column : ref->second) cols.push_back(QuoteIdentifier(column));
      const std::string listed = Join(cols, ", ");
      std::string events = "SELECT " + listed + ", _seq AS _gone FROM " + c +
                           " WHERE _op = 'D' UNION ALL SELECT " + listed + ", _removed FROM " + a +
                           " WHERE _removed IS NOT NULL";
      for (const size_t r : self_rules) {
        const auto& fk = fks[r];
        if (fk.on_delete != "CASCADE") continue;
        // A row whose parent row goes goes too, at the same seq, and so on down.
        recursive = true;
        std::vector<std::string> child_cols;
        for (const auto& column : ref->second) child_cols.push_back("x." + QuoteIdentifier(column));
        events = "SELECT * FROM (" + events + ") UNION SELECT " + Join(child_cols, ", ") +
                 ", gp._gone FROM " + a + " AS x JOIN " + g + " AS gp ON " +
                 ColumnsEqual("gp", fk.parent_columns, "x", fk.columns) + " AND gp._gone > x._seq";
        break;  // one recursive term; further self cascades are joined below as cuts
      }
      ctes.push_back(g + " AS (" + events + ")");
      const std::string tm = Cte("t", i);
      ctes.push_back(tm + " AS (SELECT _seq AS _t, lead(_seq) OVER (ORDER BY _seq) AS _next FROM " +
                     c + " WHERE _op = 'T')");
      std::vector<std::string> l_cols;
      for (const auto& column : ref->second) l_cols.push_back("ch." + QuoteIdentifier(column));
      ctes.push_back(Cte("l", i) + " AS (SELECT " + Join(l_cols, ", ") + ", tm._t FROM " + c +
                     " AS ch JOIN " + tm + " AS tm ON ch._seq > tm._t AND (tm._next IS NULL OR " +
                     "ch._seq < tm._next) WHERE ch._op = 'L')");
    }

    if (i + 1 == order.size()) {
      // The target: apply self rules, drop removed rows, null SET NULL columns.
      std::string with_self = "SELECT x.*";
      std::vector<std::string> self_removed;
      for (const size_t r : self_rules) add_cut(r, true, with_self, self_removed);
      std::vector<std::string> keep = {"_removed IS NULL"};
      for (const auto& name : self_removed) keep.push_back(name + " IS NULL");
      std::vector<std::string> replaced;
      for (const auto& [column, names] : null_when) {
        std::vector<std::string> fired;
        for (const auto& name : names) fired.push_back(name + " IS NOT NULL");
        replaced.push_back("CASE WHEN " + Join(fired, " OR ") + " THEN NULL ELSE " +
                           QuoteIdentifier(column) + " END AS " + QuoteIdentifier(column));
      }
      cut_columns.push_back("_removed");
      final_select = "SELECT * EXCLUDE (" + Join(cut_columns, ", ") + ")" +
                     (replaced.empty() ? "" : " REPLACE (" + Join(replaced, ", ") + ")") +
                     " FROM (" + with_self + " FROM " + a + " AS x) WHERE " + Join(keep, " AND ");
    }
  }
  return std::string(recursive ? "WITH RECURSIVE " : "WITH ") + Join(ctes, ", ") + " " +
         final_select;
}

}  // namespace futureim::lake

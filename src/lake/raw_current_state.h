#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace futureim::lake {

// A source foreign key as the raw tier records it (the replication manifest's
// "foreign_keys" of the child table). InnoDB applies ON DELETE actions inside
// the storage engine, so the rows they delete or change never reach the
// binlog: whoever computes a table's current state from raw changes must
// apply them (RawCurrentState below does).
struct ForeignKeyRule {
  std::string name;
  std::vector<std::string> columns;  // in the child table
  std::string parent_schema;
  std::string parent_table;
  std::vector<std::string> parent_columns;  // the referenced columns, same order
  std::string on_delete;  // "CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT"
  std::string on_update;

  bool operator==(const ForeignKeyRule&) const = default;
};

// The manifest's JSON form ({"name", "columns", "parent_schema",
// "parent_table", "parent_columns", "on_delete", "on_update"}). FromJson
// throws nlohmann::json::exception for a malformed entry.
nlohmann::json ForeignKeyRuleToJson(const ForeignKeyRule& rule);
ForeignKeyRule ForeignKeyRuleFromJson(const nlohmann::json& json);

// One raw table as the current-state query reads it.
struct RawTableChanges {
  std::string schema;
  std::string table;
  std::vector<std::string> primary_key;  // empty: no current state can be computed
  std::vector<ForeignKeyRule> foreign_keys;
  // A DuckDB relation (what may follow FROM) over every committed change of
  // the table: its columns plus _op, _seq (and whatever else it carries).
  std::string changes;
};

// The SQL that turns raw changes into a table's current state — the one
// place that defines it; `futureim verify`, the raw_current views and the
// curated merge use it.
//
// Without foreign keys: per primary key the change with the highest _seq,
// after the table's last truncate/reload marker (_op = 'T'), deletes left out.
//
// ON DELETE CASCADE / SET NULL (rules whose parent table is among `tables`
// with a primary key; other actions change nothing). A child row whose last
// change has _seq s is *cut* at S, the smallest S > s among:
//   - a D of the parent key it references (the referenced columns equal its
//     foreign key columns), at that D's _seq;
//   - a parent row removed by a cascade of its own, at the seq of that
//     cascade's cause (so chains apply transitively: order → item → ...);
//   - a parent T marker at S whose following reload (the L rows up to the
//     next T) does not contain the referenced key; a child row with a NULL in
//     its foreign key is never cut this way. A reload therefore keeps the
//     children of every parent row it reloads, and drops those of parent rows
//     deleted while the table was pending (their D never reached the lake).
//     A parent still reloading hides the children of rows not reloaded yet.
// CASCADE removes a cut row (and makes it a cause for its own children);
// SET NULL sets the rule's columns NULL and keeps the row. Self references
// work: SET NULL directly, CASCADE recursively (WITH RECURSIVE). Tables are
// visited parents first; a cycle through different tables is broken by
// ignoring the rule that would close it (listed by IgnoredRules).
//
// Known differences from InnoDB (documented in docs/ARCHITECTURE.md): ON
// UPDATE actions are not applied (an UPDATE of a referenced key arrives as
// D + U and is treated as a delete); a parent truncated or dropped with
// foreign_key_checks=0 cuts children InnoDB would leave orphaned.
class RawCurrentState {
 public:
  explicit RawCurrentState(std::vector<RawTableChanges> tables);

  // SELECT of the current state of schema.table: its change rows' columns
  // (source columns, _op, _seq, …; SET NULL applied), one row per live key.
  // Throws core::Error for an unknown table or one without a primary key.
  std::string Select(const std::string& schema, const std::string& table) const;

  // "schema.table: rule" for every applicable rule that Select ignores
  // because it closes a cycle through other tables.
  std::vector<std::string> IgnoredRules() const;

  // Whether the table exists here and has a primary key.
  bool HasCurrentState(const std::string& schema, const std::string& table) const;

 private:
  struct Table {
    RawTableChanges changes;
    std::vector<size_t> rules;  // applicable rules (indices into foreign_keys)
  };
  static std::string Key(const std::string& schema, const std::string& table) {
    return schema + "." + table;
  }
  // The tables Select(target) needs, parents first.
  std::vector<std::string> Ancestry(const std::string& target) const;

  std::map<std::string, Table> tables_;
  // Per table, the rules dropped because they close a cycle.
  std::map<std::string, std::vector<size_t>> ignored_;
};

}  // namespace futureim::lake

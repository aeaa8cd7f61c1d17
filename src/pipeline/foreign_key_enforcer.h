#pragma once

// The source's foreign keys applied to merged tables: ON DELETE actions
// (which InnoDB applies inside the engine, so they never reach the binlog)
// and referential integrity as reference rules.

#include <map>
#include <string>
#include <vector>

#include "engine/duckdb.h"
#include "pipeline/curated_table_merger.h"

namespace futureim::pipeline {

struct ForeignKey {
  std::string name;
  std::vector<std::string> columns;  // in the child
  std::string parent;                // curated name of the parent table
  std::vector<std::string> parent_columns;
  std::string on_delete;  // "CASCADE", "SET NULL", ...
};

struct MergedTableWithKeys {
  std::string name;  // curated name
  MergedTable merged;
  std::vector<ForeignKey> foreign_keys;
};

class ForeignKeyEnforcer {
 public:
  ForeignKeyEnforcer(engine::Connection& connection, std::vector<MergedTableWithKeys>& tables);

  // ON DELETE CASCADE / SET NULL: a parent row deleted at _seq S (explicitly,
  // by a truncate, or by a cascade) removes, or nulls the key of, every child
  // row referencing it whose _seq is below S — transitively, until nothing
  // changes. Child rows changed after S were written after the delete and
  // stay. Returns the rows removed or updated.
  uint64_t ApplyOnDeleteActions();

  // Sets the reference-rule column of every row whose non-NULL foreign key
  // matches no valid parent row. Parents are checked before children
  // (topological order), so a child of a quarantined parent is quarantined
  // too; within a cycle (e.g. a self reference) a parent row counts as valid
  // when it passes the row rules. A parent that is not curated is not
  // checked.
  void ApplyReferenceRules();

  // Tables in topological order (parents first; cycles last, by name).
  std::vector<size_t> TopologicalOrder() const;

 private:
  const MergedTableWithKeys* Find(const std::string& name) const;

  engine::Connection& connection_;
  std::vector<MergedTableWithKeys>& tables_;
};

}  // namespace futureim::pipeline

#pragma once

// The validation rules of curation (SPEC.md §3). A row that fails a rule is
// not published in curated/<table> but in the table's quarantine, carrying
// the name of the rule it failed — never dropped silently.
//
// Two kinds of rule:
//   row rules        look at one row only (totals > 0, no future dates,
//                    well-formed email, price >= 0, rating 1..5); they are
//                    evaluated on the raw values, before protection, when
//                    the row changes, and their outcome stays with the row;
//   reference rules  referential integrity from the source's foreign keys
//                    (order_items → orders, ...); re-evaluated at every run,
//                    since a parent can arrive or leave later.

#include <set>
#include <string>
#include <vector>

namespace futureim::pipeline {

struct RowRule {
  std::string name;  // "<table>.<what must hold>", e.g. "orders.total_amount_positive"
  // A SQL condition over the raw columns that is TRUE when the row FAILS.
  // NULL counts as passing (a NULL amount is a completeness problem, not an
  // invalid value).
  std::string failure_sql;
};

// The row rules of `table` given the columns it has (a rule whose column is
// missing does not apply). `now_sql` is the run's clock as a TIMESTAMPTZ
// literal; dates more than an hour ahead of it count as future (clock skew).
std::vector<RowRule> RowRulesFor(const std::string& table, const std::set<std::string>& columns,
                                 const std::string& now_sql);

// A CASE expression giving the name of the first row rule `rules` that the
// row fails, or NULL.
std::string FirstFailedRuleSql(const std::vector<RowRule>& rules);

// The rule name of a reference rule for the foreign key `fk_name`.
std::string ReferenceRuleName(const std::string& fk_name);

}  // namespace futureim::pipeline

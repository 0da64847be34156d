#pragma once
/// The planning pipeline (spec §2 to §7): a PRD and a contract (or none, then one synthesized
/// from the PRD) into a budgeted, scored, acyclic DAG with full coverage. Pure: no I/O, no clock
/// read except the search's wall-time limit.

#include "planner/candidate_search.hpp"
#include "planner/complexity.hpp"
#include "planner/contract.hpp"
#include "planner/coverage.hpp"
#include "planner/prd.hpp"
#include "planner/token_budget.hpp"

#include <caf/expected.hpp>

#include <optional>

namespace tascade::planner {

struct plan_result {
  prd_facts prd;
  bool has_ui = false;          ///< by the rule in force (substrings, or strict)
  contract source;              ///< the contract planned (given or synthesized)
  bool fe_generated = false;
  be_grouping variant = be_grouping::by_tag;  ///< the winner's BE grouping
  budgeted_plan plan;           ///< the winner: nodes, edges, budgets, capacity, violations
  std::vector<node_complexity> scores;  ///< per final node
  double score = 0;             ///< mean CCS, 2 decimals
  std::vector<candidate_row> candidates;
  coverage_report coverage;
  long token_cost = 0;          ///< Σ budgets
  size_t longest_path = 0;      ///< nodes on the longest path
  std::string content_hash;     ///< SHA-256 of `plan_content_json`: same inputs, same hash
};

/// Plans `prd_text` against `given` (synthesizing a contract from the PRD when absent).
/// Errors: `prd_missing()` for an empty PRD; `contract_invalid` when the synthesized contract
/// fails validation; `errc::cycle_detected` when the DAG has a cycle; `plan_too_large` past
/// `abort_if_nodes_gt`; a coverage error naming what is missing.
caf::expected<plan_result> make_plan(std::string_view prd_text, std::optional<contract> given,
                                     const planner_settings& settings);

/// The plan's content without ids or times (nodes, edges, budgets, scores, candidates, contract
/// hash): what `content_hash` covers.
boost::json::value plan_content_json(const plan_result& r);

}  // namespace tascade::planner

#pragma once
/// Candidates and the winner (spec §5): the reference's three placeholder rows (parity mode), or
/// the offline, seeded UCB1 search over three structural variants ([PROPOSAL] §5.3).

#include "planner/complexity.hpp"
#include "planner/dag_builder.hpp"
#include "planner/planner_settings.hpp"
#include "planner/token_budget.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <vector>

namespace tascade::planner {

/// One evaluated candidate DAG.
struct candidate_eval {
  be_grouping variant = be_grouping::by_tag;
  size_t nodes = 0;
  double static_value = 0;  ///< V of spec §5.3, step 2
};

/// One persisted candidate row.
struct candidate_row {
  size_t index = 0;  ///< into the evaluated candidates (0 in parity mode)
  int rank = 0;      ///< 1 = winner, 2 = fallback
  double value = 0;  ///< round3
  boost::json::object params;
  boost::json::object trace;
};

/// SplitMix64's output function.
uint64_t splitmix64(uint64_t x);

/// The seed of spec §5.3: the first 16 hex digits of the contract hash.
uint64_t seed_from_hash(std::string_view contract_hash);

/// V = 0 when coverage is incomplete, the graph has a cycle or a budget is over capacity;
/// else 0.5·(1 − meanCCS/100) + 0.3·meanSlack + 0.2·meanConfidence.
double static_value(const budgeted_plan& plan, const std::vector<node_complexity>& scores,
                    bool coverage_complete, bool acyclic);

/// The three placeholder rows of spec §5.1: values round3(S), round3(0.95·S), round3(0.9·S).
std::vector<candidate_row> parity_candidates(double plan_score, size_t nodes,
                                             const planner_settings& settings);

/// Seeded UCB1 over `candidates` (spec §5.3 steps 3 to 6), rows sorted by rank.
std::vector<candidate_row> ucb1_search(const std::vector<candidate_eval>& candidates, uint64_t seed,
                                       const planner_settings& settings);

}  // namespace tascade::planner

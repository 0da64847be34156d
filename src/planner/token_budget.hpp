#pragma once
/// Window-safe token budgets (spec §7): the word-count estimator, budgets with a floor, and the
/// partitioning of nodes over capacity into consecutive parts with re-wired edges.

#include "planner/plan_graph.hpp"
#include "planner/planner_settings.hpp"

#include <string_view>

namespace tascade::planner {

/// `max(32, floor(1.5·words) + 128)`: tokens for a text of `words` whitespace-separated words.
long estimate_tokens_for_words(size_t words);

/// `estimate_tokens_for_words(number of words of text)`.
long estimate_tokens(std::string_view text);

/// `max(estimate_tokens(description) + 40·|tasks| + 20·|criteria|, floor)`.
long node_budget(const plan_node& node, long floor);

struct budgeted_plan {
  plan_graph graph;                            ///< nodes after partitioning, edges re-wired
  std::vector<long> budgets;                   ///< per final node, tokens
  std::vector<size_t> violations;              ///< final indices over capacity (normally none)
  long capacity = 0;                           ///< floor(W × (1 − h))
  std::vector<std::vector<size_t>> parts_of;   ///< original index → final indices
};

/// Budgets every node, partitions those over capacity (spec §7.4: even splits first, then the
/// greedy fallback, then capping), and re-wires the edges (§7.5): each original edge from the
/// last part of its source to the first part of its target, then the chain edges
/// "Partition order for <title>".
budgeted_plan apply_budgets(plan_graph graph, const planner_settings& settings);

}  // namespace tascade::planner

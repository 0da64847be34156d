#pragma once
/// The contract complexity score, CCS (spec §6): five factors from a node's counts on the final
/// graph, blended with configurable weights.

#include "planner/plan_graph.hpp"
#include "planner/planner_settings.hpp"

namespace tascade::planner {

struct node_complexity {
  double ccs = 0;          ///< round2(100·w), in [0, 100]
  double score_1_10 = 0;   ///< round1(ccs/10), a decimal (quirk Q14)
  double d = 0, s = 0, n = 0, a = 0, r = 0;  ///< round2(100·factor)
  long recommended_subtasks = 1;             ///< max(1, ceil(ccs/15))
  double confidence = 0;                     ///< max(0.5, round2(1 − ccs/200))
  std::string model_class;
};

/// The counts CCS reads (spec §6.1).
struct complexity_inputs {
  size_t in_degree = 0, out_degree = 0;
  size_t contract_ops = 0;         ///< C, duplicates counted
  std::vector<std::string> tasks;  ///< T is the size, U the distinct count, R looks for "research"
  size_t acceptance_criteria = 0;  ///< K
  size_t requirement_refs = 0;     ///< Q, always 0 from the catalogue
};

/// The CCS of one node.
node_complexity score_node(const complexity_inputs& in, const planner_settings& settings);

/// The CCS of every node of `g`, degrees counted over `g`'s edges.
std::vector<node_complexity> score_graph(const plan_graph& g, const planner_settings& settings);

}  // namespace tascade::planner

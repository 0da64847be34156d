#pragma once
/// Contract coverage (spec §2.7): every operation and every entity is covered by some task.

#include "planner/contract.hpp"
#include "planner/plan_graph.hpp"

#include <caf/error.hpp>

namespace tascade::planner {

struct coverage_report {
  std::vector<std::string> missing_operations;  ///< sorted by code point
  size_t total_operations = 0;                  ///< distinct operation ids
  std::vector<std::string> missing_entities;    ///< entities with no DB task, in contract order
  size_t total_entities = 0;

  bool complete() const { return missing_operations.empty() && missing_entities.empty(); }
};

/// Operations are covered by the union of the nodes' `contract_ops`; entities by a DB node
/// anchored on them.
coverage_report measure_coverage(const contract& c, const plan_graph& g);

/// An empty error when `r` is complete, otherwise one naming what is missing
/// ("Missing contract coverage: [...]").
caf::error require_coverage(const coverage_report& r);

}  // namespace tascade::planner

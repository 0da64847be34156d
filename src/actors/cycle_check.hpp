#pragma once
/// Cycle rejection for dependency edges (spec §7.2).

#include "tascade/ids.hpp"

#include <unordered_map>
#include <vector>

namespace tascade {

/// Whether adding `from → to` would close a cycle: true when `from` is reachable from `to`
/// along existing edges (or `from == to`). Iterative, visits each task at most once.
bool closes_cycle(const std::unordered_map<task_id, std::vector<task_id>>& dependents,
                  const task_id& from, const task_id& to);

}  // namespace tascade

#include "actors/cycle_check.hpp"

#include <unordered_set>

namespace tascade {

bool closes_cycle(const std::unordered_map<task_id, std::vector<task_id>>& dependents,
                  const task_id& from, const task_id& to) {
  if (from == to)
    return true;
  std::vector<task_id> stack{to};
  std::unordered_set<task_id> visited{to};
  while (!stack.empty()) {
    auto current = stack.back();
    stack.pop_back();
    auto it = dependents.find(current);
    if (it == dependents.end())
      continue;
    for (auto& next : it->second) {
      if (next == from)
        return true;
      if (visited.insert(next).second)
        stack.push_back(next);
    }
  }
  return false;
}

}  // namespace tascade

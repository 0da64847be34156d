#include "planner/contract.hpp"

#include <unordered_set>

namespace tascade::planner {

std::string_view to_string(contract_syntax s) {
  switch (s) {
    case contract_syntax::json: return "json";
    case contract_syntax::yaml: return "yaml";
    case contract_syntax::graphql: return "graphql";
    case contract_syntax::synthesized: return "synthesized";
  }
  return "json";
}

size_t contract::distinct_operations() const {
  std::unordered_set<std::string_view> ids;
  for (auto& op : operations)
    ids.insert(op.operation_id);
  return ids.size();
}

}  // namespace tascade::planner

#include "planner/coverage.hpp"

#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <unordered_set>

namespace tascade::planner {

coverage_report measure_coverage(const contract& c, const plan_graph& g) {
  coverage_report r;
  std::unordered_set<std::string_view> covered, entities_done;
  for (auto& n : g.nodes) {
    for (auto& op : n.contract_ops)
      covered.insert(op);
    if (n.kind == node_kind::db)
      entities_done.insert(n.anchor);
  }
  std::unordered_set<std::string_view> ids;
  for (auto& op : c.operations)
    if (ids.insert(op.operation_id).second && !covered.count(op.operation_id))
      r.missing_operations.push_back(op.operation_id);
  std::sort(r.missing_operations.begin(), r.missing_operations.end());
  r.total_operations = ids.size();
  r.total_entities = c.entities.size();
  for (auto& e : c.entities)
    if (!entities_done.count(e.name))
      r.missing_entities.push_back(e.name);
  return r;
}

caf::error require_coverage(const coverage_report& r) {
  if (r.complete())
    return {};
  std::string list;
  boost::json::array ops, entities;
  for (auto& op : r.missing_operations) {
    list += (list.empty() ? "'" : ", '") + op + "'";
    ops.emplace_back(op);
  }
  for (auto& e : r.missing_entities) {
    list += (list.empty() ? "'" : ", '") + e + "'";
    entities.emplace_back(e);
  }
  boost::json::object details{{"missingOperations", ops}, {"missingEntities", entities}};
  return make_error(errc::invariant_violation, "Missing contract coverage: [" + list + "]",
                    details);
}

}  // namespace tascade::planner

#include "planner/contract_diff.hpp"

#include "planner/prd.hpp"
#include "planner/python_json.hpp"

#include <boost/json.hpp>

#include <unordered_map>
#include <unordered_set>

namespace tascade::planner {

namespace json = boost::json;

bool contract_diff::empty() const {
  return added_operations.empty() && removed_operations.empty() && changed_operations.empty() &&
         added_entities.empty() && removed_entities.empty() && changed_entities.empty();
}

std::string operation_fingerprint(const contract& c, const contract_operation& op) {
  json::object o{{"path", op.path}, {"method", op.method}, {"summary", op.summary}};
  json::array tags;
  for (auto& t : op.tags)
    tags.emplace_back(t);
  o["tags"] = std::move(tags);
  const json::object* paths = nullptr;
  if (c.document.is_object())
    if (auto* p = c.document.get_object().if_contains("paths"); p && p->is_object())
      paths = &p->get_object();
  if (paths)
    if (auto* item = paths->if_contains(op.path); item && item->is_object()) {
      for (auto& kv : item->get_object())
        if (ascii_lower(kv.key()) == ascii_lower(op.method))
          o["operation"] = kv.value();
      if (auto* params = item->get_object().if_contains("parameters"))
        o["pathParameters"] = *params;
    }
  return canonical_sha256(o);
}

contract_diff diff_contracts(const contract& before, const contract& after) {
  contract_diff d;
  std::unordered_map<std::string, std::string> old_ops, new_ops;
  for (auto& op : before.operations)
    old_ops.emplace(op.operation_id, operation_fingerprint(before, op));
  for (auto& op : after.operations)
    new_ops.emplace(op.operation_id, operation_fingerprint(after, op));
  std::unordered_set<std::string> seen;
  for (auto& op : after.operations) {
    if (!seen.insert(op.operation_id).second)
      continue;
    auto it = old_ops.find(op.operation_id);
    if (it == old_ops.end())
      d.added_operations.push_back(op.operation_id);
    else if (it->second != new_ops.at(op.operation_id))
      d.changed_operations.push_back(op.operation_id);
  }
  seen.clear();
  for (auto& op : before.operations)
    if (seen.insert(op.operation_id).second && !new_ops.count(op.operation_id))
      d.removed_operations.push_back(op.operation_id);

  std::unordered_map<std::string, std::string> old_entities, new_entities;
  for (auto& e : before.entities)
    old_entities.emplace(e.name, py_dumps_sorted(e.definition));
  for (auto& e : after.entities)
    new_entities.emplace(e.name, py_dumps_sorted(e.definition));
  for (auto& e : after.entities) {
    auto it = old_entities.find(e.name);
    if (it == old_entities.end())
      d.added_entities.push_back(e.name);
    else if (it->second != new_entities.at(e.name))
      d.changed_entities.push_back(e.name);
  }
  for (auto& e : before.entities)
    if (!new_entities.count(e.name))
      d.removed_entities.push_back(e.name);
  return d;
}

std::string node_key(const plan_node& n) {
  return std::string(to_string(n.kind)) + ":" + n.anchor + ":" + std::to_string(n.part);
}

plan_delta diff_plans(const plan_result& before, const plan_result& after) {
  plan_delta delta;
  delta.diff = diff_contracts(before.source, after.source);
  std::unordered_set<std::string> touched_ops(delta.diff.changed_operations.begin(),
                                              delta.diff.changed_operations.end());
  touched_ops.insert(delta.diff.removed_operations.begin(), delta.diff.removed_operations.end());
  std::unordered_set<std::string> touched_entities(delta.diff.changed_entities.begin(),
                                                   delta.diff.changed_entities.end());
  std::unordered_map<std::string, size_t> old_index, new_index;
  for (size_t i = 0; i < before.plan.graph.nodes.size(); ++i)
    old_index.emplace(node_key(before.plan.graph.nodes[i]), i);
  for (size_t i = 0; i < after.plan.graph.nodes.size(); ++i) {
    auto key = node_key(after.plan.graph.nodes[i]);
    new_index.emplace(key, i);
    if (!old_index.count(key))
      delta.added.push_back(i);
  }
  for (size_t i = 0; i < before.plan.graph.nodes.size(); ++i) {
    auto& old_node = before.plan.graph.nodes[i];
    auto it = new_index.find(node_key(old_node));
    if (it == new_index.end()) {
      delta.cancelled.push_back(i);
      continue;
    }
    auto& new_node = after.plan.graph.nodes[it->second];
    bool material = old_node.contract_ops != new_node.contract_ops ||
                    old_node.tasks != new_node.tasks ||
                    old_node.acceptance_criteria != new_node.acceptance_criteria ||
                    (old_node.kind == node_kind::db && touched_entities.count(old_node.anchor));
    for (auto& op : old_node.contract_ops)
      material = material || touched_ops.count(op);
    if (material)
      delta.material.push_back(i);
  }
  return delta;
}

}  // namespace tascade::planner

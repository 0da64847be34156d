#include "planner/project_tasks.hpp"

#include "planner/prd.hpp"
#include "planner/python_numbers.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace tascade::planner {

namespace json = boost::json;

namespace {

std::string phase_of(node_kind k) {
  switch (k) {
    case node_kind::scaffold: return "Foundation";
    case node_kind::db: return "Data";
    case node_kind::be: return "Backend";
    case node_kind::fe_foundation:
    case node_kind::fe_flow: return "Frontend";
    case node_kind::test: return "Verification";
    case node_kind::package: return "Release";
    case node_kind::custom: return "Backend";
  }
  return "Backend";
}

std::string class_of(node_kind k) {
  switch (k) {
    case node_kind::scaffold: return "architecture";
    case node_kind::db: return "db_schema";
    case node_kind::be: return "backend";
    case node_kind::fe_foundation:
    case node_kind::fe_flow: return "frontend";
    default: return "cross_cutting";
  }
}

// The first path segment without template braces ("/repos/{owner}" → "repos"), "root" for "/".
std::string segment_of(const std::string& path) {
  auto first = path.find_first_not_of('/');
  if (first == std::string::npos)
    return "root";
  auto end = path.find('/', first);
  auto seg = path.substr(first, end == std::string::npos ? std::string::npos : end - first);
  seg.erase(std::remove_if(seg.begin(), seg.end(), [](char c) { return c == '{' || c == '}'; }),
            seg.end());
  return seg.empty() ? "root" : seg;
}

std::vector<std::string> touches(const plan_node& n,
                                 const std::unordered_map<std::string, std::string>& op_paths) {
  std::set<std::string> out;
  auto by_ops = [&](const std::string& root) {
    for (auto& op : n.contract_ops)
      if (auto it = op_paths.find(op); it != op_paths.end())
        out.insert(root + segment_of(it->second) + "/**");
  };
  switch (n.kind) {
    case node_kind::scaffold: out = {".github/**", "infra/**", "README.md"}; break;
    case node_kind::db: out.insert("db/migrations/" + ascii_lower(n.anchor) + "*"); break;
    case node_kind::be: by_ops("src/api/"); break;
    case node_kind::fe_foundation: out.insert("web/shared/**"); break;
    case node_kind::fe_flow: by_ops("web/"); break;
    case node_kind::test: out.insert("tests/contract/**"); break;
    case node_kind::package: out.insert("deploy/**"); break;
    case node_kind::custom: break;
  }
  return {out.begin(), out.end()};
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (auto& s : v)
    a.emplace_back(s);
  return a;
}

json::object task_json(const project_task& t) {
  return json::object{{"title", t.title},
                      {"description", t.description},
                      {"phase", t.phase},
                      {"priority", t.priority},
                      {"task_class", t.task_class},
                      {"capability_tags", strings(t.capability_tags)},
                      {"expected_touches", strings(t.expected_touches)},
                      {"work_spec", t.work_spec}};
}

}  // namespace

project_plan to_project_plan(const plan_result& r) {
  auto& g = r.plan.graph;
  std::unordered_map<std::string, std::string> op_paths;
  for (auto& op : r.source.operations)
    op_paths.emplace(op.operation_id, op.path);

  // Tasks after each node on the longest path: in reverse topological order.
  std::vector<int64_t> after(g.nodes.size(), 0);
  std::vector<std::vector<size_t>> out(g.nodes.size());
  for (auto& e : g.edges)
    out[e.from].push_back(e.to);
  if (auto order = topological_order(g))
    for (auto it = order->rbegin(); it != order->rend(); ++it)
      for (auto w : out[*it])
        after[*it] = std::max(after[*it], after[w] + 1);

  project_plan p;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto& n = g.nodes[i];
    auto& s = r.scores[i];
    project_task t;
    t.key = node_key(n);
    t.phase = phase_of(n.kind);
    t.title = n.title;
    t.description = n.description.empty() ? n.title : n.description;
    t.priority = 100 + 10 * after[i];
    t.task_class = class_of(n.kind);
    t.capability_tags = {ascii_lower(n.domain)};
    t.expected_touches = touches(n, op_paths);
    t.work_spec = {
      {"objective", t.description},
      {"steps", strings(n.tasks)},
      {"acceptance_criteria", strings(n.acceptance_criteria)},
      {"contract_ops", strings(n.contract_ops)},
      {"complexity", json::object{{"score_0_100", s.ccs},
                                  {"score_1_10", s.score_1_10},
                                  {"recommendedSubtasks", s.recommended_subtasks},
                                  {"confidence", s.confidence}}},
      {"token_budget", r.plan.budgets[i]},
      {"model_class", s.model_class},
      {"plan", json::object{{"contract_hash", r.source.hash}, {"node_key", t.key}, {"order", i}}},
      // The same facts in the REST WorkSpec's own keys, which a task read shows (spec §2.3).
      {"constraints",
       json::array{"Token budget: " + std::to_string(r.plan.budgets[i]) + " tokens (" +
                     s.model_class + ")",
                   "Complexity: CCS " + py_float_repr(s.ccs) + "/100, about " +
                     std::to_string(s.recommended_subtasks) + " subtasks"}},
      {"interfaces", strings(n.contract_ops)},
      {"path_hints", strings(t.expected_touches)}};
    if (std::find(p.phases.begin(), p.phases.end(), t.phase) == p.phases.end())
      p.phases.push_back(t.phase);
    p.tasks.push_back(std::move(t));
  }
  std::set<std::pair<size_t, size_t>> seen;
  for (auto& e : g.edges)
    if (seen.insert({e.from, e.to}).second)
      p.dependencies.push_back({e.from, e.to});
  return p;
}

json::array rerun_operations(const plan_delta& delta, const plan_result& before,
                             const plan_result& after, const std::vector<std::string>& task_ids) {
  auto next = to_project_plan(after);
  std::unordered_map<std::string, size_t> new_index;
  for (size_t i = 0; i < next.tasks.size(); ++i)
    new_index.emplace(next.tasks[i].key, i);
  json::array ops;
  for (auto i : delta.added) {
    auto payload = task_json(next.tasks[i]);
    json::array depends_on;
    for (auto& d : next.dependencies)
      if (d.to == i)
        depends_on.emplace_back(next.tasks[d.from].key);
    payload["key"] = next.tasks[i].key;
    payload["depends_on"] = std::move(depends_on);
    ops.push_back(json::object{{"op", "create_task"}, {"task_id", nullptr}, {"payload", payload}});
  }
  for (auto i : delta.cancelled)
    ops.push_back(
      json::object{{"op", "cancel_task"},
                   {"task_id", i < task_ids.size() ? json::value(task_ids[i]) : nullptr},
                   {"payload", json::object{{"key", node_key(before.plan.graph.nodes[i])}}}});
  for (auto i : delta.material) {
    auto& t = next.tasks[new_index.at(node_key(before.plan.graph.nodes[i]))];
    ops.push_back(
      json::object{{"op", "update_task"},
                   {"task_id", i < task_ids.size() ? json::value(task_ids[i]) : nullptr},
                   {"payload", json::object{{"work_spec", t.work_spec},
                                            {"expected_touches", strings(t.expected_touches)},
                                            {"capability_tags", strings(t.capability_tags)}}}});
  }
  return ops;
}

}  // namespace tascade::planner

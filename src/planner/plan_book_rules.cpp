#include "planner/plan_book_rules.hpp"

#include "planner/context_card.hpp"
#include "planner/contract_diff.hpp"
#include "planner/plan_record.hpp"
#include "planner/project_tasks.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <map>

namespace tascade {

namespace json = boost::json;

namespace {

using events_or_error = caf::expected<std::vector<events::event>>;

json::array strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

// Plans `source`, timing it for the report (spec §9.1 runtimeMs).
caf::expected<std::pair<planner::plan_result, long>>
timed_plan(const plan_source& source, const planner::planner_settings& settings) {
  auto start = std::chrono::steady_clock::now();
  auto r = planner::plan_from(source, settings);
  if (!r)
    return std::move(r.error());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - start)
              .count();
  return std::make_pair(std::move(*r), long(ms));
}

json::object diff_json(const planner::contract_diff& d) {
  return {{"addedOperations", strings(d.added_operations)},
          {"removedOperations", strings(d.removed_operations)},
          {"changedOperations", strings(d.changed_operations)},
          {"addedEntities", strings(d.added_entities)},
          {"removedEntities", strings(d.removed_entities)},
          {"changedEntities", strings(d.changed_entities)}};
}

// The rerun's operations made concrete for the project the source was applied to: each
// create_task gets the milestone of its phase (the last applied phase's when the project has
// no such phase yet) and the ids of its applied neighbours; keys of tasks created by the same
// changeset stay keys.
json::array resolve_for_project(json::array ops, const planner::plan_result& before,
                                 const planner::plan_result& after,
                                 const std::vector<std::string>& task_ids,
                                 const json::object& phases) {
  std::map<std::string, std::string> applied;  // node key → task id
  for (size_t i = 0; i < before.plan.graph.nodes.size() && i < task_ids.size(); ++i)
    if (!task_ids[i].empty())
      applied[planner::node_key(before.plan.graph.nodes[i])] = task_ids[i];
  auto next = planner::to_project_plan(after);
  std::string fallback;
  for (auto& [name, ids] : phases)
    fallback = std::string(ids.at("milestone_id").as_string());
  for (auto& op : ops) {
    auto& o = op.as_object();
    if (o.at("op").as_string() != "create_task")
      continue;
    auto& p = o.at("payload").as_object();
    auto phase = phases.if_contains(p.at("phase").as_string());
    p["milestone_id"] = phase ? phase->at("milestone_id") : json::value(fallback);
    json::array keys, before_ids, after_ids;
    for (auto& k : p.at("depends_on").as_array()) {
      auto it = applied.find(std::string(k.as_string()));
      if (it != applied.end())
        before_ids.emplace_back(it->second);
      else
        keys.push_back(k);
    }
    std::string key(p.at("key").as_string());
    for (size_t i = 0; i < next.tasks.size(); ++i) {
      if (next.tasks[i].key != key)
        continue;
      for (auto& d : next.dependencies)
        if (d.from == i)
          if (auto it = applied.find(next.tasks[d.to].key); it != applied.end())
            after_ids.emplace_back(it->second);
    }
    p["depends_on"] = std::move(keys);
    p["depends_on_task_ids"] = std::move(before_ids);
    p["dependent_task_ids"] = std::move(after_ids);
  }
  return ops;
}

}  // namespace

void apply(plan_state& s, const events::event& ev) {
  auto start = [&](const json::object& plan) {
    s.exists = true;
    for (auto& n : plan.at("nodes").as_array())
      s.nodes.emplace(n.at("id").as_string());
  };
  if (auto* e = std::get_if<events::plan_created>(&ev)) {
    s.id = e->id;
    start(e->plan);
  } else if (auto* r = std::get_if<events::plan_rerun>(&ev)) {
    s.id = r->id;
    start(r->plan);
  }
  ++s.version;
}

events_or_error decide(const plan_state& s, const create_plan& c, bool run_taken,
                       const planner::planner_settings& settings, const decide_context& ctx) {
  if (s.exists)
    return make_error(errc::invariant_violation, "plan exists already");
  if (run_taken)
    return make_error(errc::duplicate_run,
                      "A plan for projectId " + c.project_ref + " and runId " + c.run_id +
                        " exists already",
                      {{"error", "DuplicateRun"}});
  auto planned = timed_plan(c.source, settings);
  if (!planned)
    return std::move(planned.error());
  auto& [r, ms] = *planned;
  return std::vector<events::event>{events::plan_created{
    s.id, c.project_ref, c.run_id,
    planner::plan_record(r, s.id, c.source, ms, settings, ctx.new_id)}};
}

events_or_error decide(const plan_state& s, const rerun_plan& c,
                       const planner::planner_settings& settings, const decide_context& ctx) {
  if (s.exists)
    return make_error(errc::invariant_violation, "plan exists already");
  auto before = planner::plan_from(c.before, settings);
  if (!before)
    return std::move(before.error());
  auto planned = timed_plan(c.after, settings);
  if (!planned)
    return std::move(planned.error());
  auto& [after, ms] = *planned;
  auto delta = planner::diff_plans(*before, after);
  json::array proposed;
  if (!c.applied.empty()) {
    std::map<std::string, std::string> task_of;
    for (auto& pair : c.applied.at("tasks").as_array())
      if (pair.at("node_id").is_string() && pair.at("task_id").is_string())
        task_of[std::string(pair.at("node_id").as_string())] = pair.at("task_id").as_string();
    std::vector<std::string> task_ids;
    for (auto& node : c.source_nodes)
      task_ids.push_back(task_of.count(node) ? task_of[node] : std::string());
    proposed = resolve_for_project(planner::rerun_operations(delta, *before, after, task_ids),
                                   *before, after, task_ids, c.applied.at("phases").as_object());
  }
  return std::vector<events::event>{events::plan_rerun{
    s.id, c.source_plan, c.project_ref, c.run_id,
    planner::plan_record(after, s.id, c.after, ms, settings, ctx.new_id), diff_json(delta.diff),
    std::move(proposed)}};
}

events_or_error decide(const plan_state& s, const record_callback& c, const decide_context& ctx) {
  if (!s.exists)
    return plan_not_found(c.plan.str());
  if (!s.nodes.count(c.node.str()))
    return plan_task_not_found();
  planner::plan_node node;
  auto& f = c.node_facts;
  node.title = std::string(f.at("title").as_string());
  node.domain = std::string(f.at("domain").as_string());
  for (auto& op : f.at("contractOps").as_array())
    node.contract_ops.emplace_back(op.as_string());
  auto card = planner::make_context_card(node, c.contract_hash, c.citations);
  return std::vector<events::event>{events::context_card_recorded{
    ctx.new_id(), s.id, c.node, c.status,
    json::object{{"contractSliceRef", card.contract_slice_ref},
                 {"interfaces", card.interfaces},
                 {"schemaHashes", card.schema_hashes},
                 {"summary", card.summary},
                 {"citations", strings(card.citations)}},
    c.artifacts_out}};
}

}  // namespace tascade

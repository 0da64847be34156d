#include "actors/project_state.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace tascade {

namespace json = boost::json;

namespace {

// Hash maps iterate in no fixed order; sorted rows make equal states give equal snapshots.
json::array sorted(json::array rows) {
  std::sort(rows.begin(), rows.end(), [](const json::value& a, const json::value& b) {
    return a.as_array().at(0).as_string() < b.as_array().at(0).as_string();
  });
  return rows;
}

}  // namespace

bool project_state::has_edge(const task_id& from, const task_id& to) const {
  auto it = dependents.find(from);
  return it != dependents.end() && std::find(it->second.begin(), it->second.end(), to) !=
                                     it->second.end();
}

json::object project_state::to_snapshot() const {
  json::array phase_list, milestone_list, task_list, edge_list, phase_seq, milestone_seq;
  for (auto& [id, p] : phases)
    phase_list.push_back(json::array{id.str(), p.short_id, p.milestone_counter});
  for (auto& [id, m] : milestones)
    milestone_list.push_back(json::array{id.str(), m.phase.str(), m.short_id, m.task_counter});
  for (auto& [id, st] : tasks)
    task_list.push_back(json::array{id.str(), to_string(st)});
  std::vector<std::pair<uuid, uuid>> edges;
  for (auto& [from, tos] : dependents)
    for (auto& to : tos)
      edges.emplace_back(from.value, to.value);
  std::sort(edges.begin(), edges.end());  // the order the snapshot always had: by (from, to)
  for (auto& [from, to] : edges)
    edge_list.push_back(json::array{from.str(), to.str()});
  for (auto s : phase_sequences)
    phase_seq.push_back(s);
  for (auto s : milestone_sequences)
    milestone_seq.push_back(s);
  return {{"id", id.str()},
          {"exists", exists},
          {"name", name},
          {"version", version},
          {"phase_counter", phase_counter},
          {"phase_sequences", phase_seq},
          {"milestone_sequences", milestone_seq},
          {"phases", sorted(std::move(phase_list))},
          {"milestones", sorted(std::move(milestone_list))},
          {"tasks", sorted(std::move(task_list))},
          {"edges", edge_list},
          {"governance", governance_snapshot()}};
}

bool project_state::from_snapshot(const json::object& snap, project_state& out) {
  // The snapshot was written by to_snapshot; any surprise means a damaged store.
  try {
    project_state s;
    s.id = *project_id::parse(snap.at("id").as_string());
    s.exists = snap.at("exists").as_bool();
    s.name = json::value_to<std::string>(snap.at("name"));
    s.version = snap.at("version").to_number<uint64_t>();
    s.phase_counter = snap.at("phase_counter").to_number<int64_t>();
    for (auto& v : snap.at("phase_sequences").as_array())
      s.phase_sequences.insert(v.to_number<int64_t>());
    for (auto& v : snap.at("milestone_sequences").as_array())
      s.milestone_sequences.insert(v.to_number<int64_t>());
    for (auto& v : snap.at("phases").as_array()) {
      auto& a = v.as_array();
      s.phases[*phase_id::parse(a.at(0).as_string())] = {
        json::value_to<std::string>(a.at(1)), a.at(2).to_number<int64_t>()};
    }
    for (auto& v : snap.at("milestones").as_array()) {
      auto& a = v.as_array();
      s.milestones[*milestone_id::parse(a.at(0).as_string())] = {
        *phase_id::parse(a.at(1).as_string()), json::value_to<std::string>(a.at(2)),
        a.at(3).to_number<int64_t>()};
    }
    for (auto& v : snap.at("tasks").as_array()) {
      auto& a = v.as_array();
      auto state = parse_enum<task_state>(a.at(1).as_string(), task_state_names);
      if (!state)
        return false;
      s.tasks[*task_id::parse(a.at(0).as_string())] = *state;
    }
    for (auto& v : snap.at("edges").as_array()) {
      auto& a = v.as_array();
      auto from = *task_id::parse(a.at(0).as_string());
      auto to = *task_id::parse(a.at(1).as_string());
      s.dependents[from].push_back(to);
    }
    if (auto* g = snap.if_contains("governance"); g && !s.restore_governance(g->as_object()))
      return false;
    out = std::move(s);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

json::object project_state::governance_snapshot() const {
  json::array rules, sets;
  for (auto& r : gate_rules)
    rules.push_back(json::value(r.str()));
  for (auto& [id, c] : changesets)  // an ordered map: equal states, equal snapshots
    sets.push_back(json::object{{"id", id.str()}, {"base", c.base}, {"target", c.target},
                                {"operations", c.operations}});
  json::array plans;
  for (auto& p : applied_plans)
    plans.push_back(json::value(p.str()));
  return {{"plan_version", plan_version}, {"gate_rules", rules}, {"changesets", sets},
          {"applied_plans", plans}};
}

bool project_state::restore_governance(const json::object& g) {
  plan_version = g.at("plan_version").to_number<int64_t>();
  for (auto& v : g.at("gate_rules").as_array())
    gate_rules.insert(uuid::parse(v.as_string()).value());
  for (auto& v : g.at("changesets").as_array()) {
    auto& c = v.as_object();
    changesets[uuid::parse(c.at("id").as_string()).value()] = {
      c.at("base").to_number<int64_t>(), c.at("target").to_number<int64_t>(),
      c.at("operations").as_array()};
  }
  if (auto* plans = g.if_contains("applied_plans"))  // absent in snapshots before issue 17
    for (auto& v : plans->as_array())
      applied_plans.insert(uuid::parse(v.as_string()).value());
  return true;
}

}  // namespace tascade

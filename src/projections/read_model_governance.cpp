// The governance read models (issue 4): gate rules and decisions, changesets and plan
// versions, what plan changes and scope drift do to tasks, gate candidate readiness.

#include "projections/read_model.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace tascade {

namespace json = boost::json;

namespace {

std::vector<std::string> string_list(const json::value& v) {
  std::vector<std::string> out;
  for (auto& item : v.as_array())
    out.emplace_back(item.as_string());
  return out;
}

}  // namespace

void read_model::on(const event_record& rec, const events::gate_rule_created& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  gate_rules_[e.id] = gate_rule_view{e.id,
                                     e.project,
                                     e.name,
                                     e.scope,
                                     e.conditions,
                                     e.required_evidence,
                                     e.required_reviewer_roles,
                                     e.is_active,
                                     rec.time};
  it->second.gate_rules.push_back(e.id);
}

void read_model::on(const event_record& rec, const events::gate_decision_recorded& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  gate_decisions_[e.id] = gate_decision_view{e.id,     e.project, e.gate_rule,
                                             e.task,   e.phase,   e.outcome,
                                             e.actor,  e.reason,  e.evidence_refs,
                                             rec.time};
  it->second.gate_decisions.push_back(e.id);
  if (e.task)
    if (auto* t = mutable_task(*e.task)) {
      t->timeline.push_back(rec.seq);
      if (e.outcome == "approved" || e.outcome == "approved_with_risk")
        t->gate_approved = true;
    }
}

void read_model::on(const event_record& rec, const events::changeset_created& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  changeset_view c;
  c.id = e.id;
  c.project = e.project;
  c.base_plan_version = e.base_plan_version;
  c.target_plan_version = e.target_plan_version;
  c.operations = e.operations;
  c.created_by = e.created_by;
  c.created_at = rec.time;
  changesets_[e.id] = std::move(c);
  it->second.changesets.push_back(e.id);
  note_plan_changeset(e);
}

void read_model::apply_plan_update(task_view& t, const json::object& fields, timestamp when) {
  auto& index = projects_.at(t.project);
  // Priority and tags are part of the index keys: take the task out, change it, put it back.
  unindex_ready(t);
  auto key = key_of(t);
  index.all.erase(key);
  index.by_state[size_t(t.state)].erase(key);
  index.by_phase[t.phase].erase(key);
  for (auto& tag : t.capability_tags)
    index.by_capability[tag].erase(key);
  for (auto& [name, value] : fields) {
    if (name == "priority")
      t.priority = value.to_number<int64_t>();
    else if (name == "title")
      t.title = std::string(value.as_string());
    else if (name == "description")
      t.description = value.is_null() ? std::nullopt
                                      : std::optional<std::string>(value.as_string());
    else if (name == "work_spec")
      t.work_spec = value.as_object();
    else if (name == "task_class")
      t.klass = parse_enum<task_class>(value.as_string(), task_class_names).value_or(t.klass);
    else if (name == "capability_tags")
      t.capability_tags = string_list(value);
    else if (name == "expected_touches")
      t.expected_touches = string_list(value);
    else if (name == "exclusive_paths")
      t.exclusive_paths = string_list(value);
    else if (name == "shared_paths")
      t.shared_paths = string_list(value);
  }
  t.updated_at = when;
  key = key_of(t);
  index.all.insert(key);
  index.by_state[size_t(t.state)].insert(key);
  index.by_phase[t.phase].insert(key);
  for (auto& tag : t.capability_tags)
    index.by_capability[tag].insert(key);
  index_ready(t);
}

void read_model::on(const event_record& rec, const events::changeset_applied& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  auto& index = it->second;
  for (auto& u : e.updates) {
    auto& update = u.as_object();
    auto id = task_id::parse(update.at("task_id").as_string());
    auto* t = id ? mutable_task(*id) : nullptr;
    if (!t || t->project != e.project)
      continue;
    apply_plan_update(*t, update.at("fields").as_object(), rec.time);
    if (t->timeline.empty() || t->timeline.back() != rec.seq)
      t->timeline.push_back(rec.seq);
  }
  for (auto& id : e.material)
    if (auto* t = mutable_task(id)) {
      t->material_version = e.version_number;
      t->material_changeset = e.changeset;
    }
  index.project.plan_version = std::max(index.project.plan_version, e.version_number);
  index.plan_versions.push_back(plan_version_view{e.plan_version, e.project, e.version_number,
                                                  e.changeset, "Applied changeset", rec.time});
  if (auto c = changesets_.find(e.changeset); c != changesets_.end()) {
    c->second.status = "applied";
    c->second.applied_at = rec.time;
    ++c->second.times_applied;
  }
  note_plan_changeset_applied(e);
}

void read_model::on(const event_record&, const events::gate_policies_evaluated&) {
  // The gates it created arrived as task_created events; the evaluation itself is audit.
}

void read_model::on(const event_record& rec, const events::lease_invalidated& e) {
  update_task(rec, e.task, [&](task_view& t) {
    if (t.lease && t.lease->fencing == e.fencing) {
      t.lease->status = "released";
      t.lease->released_at = rec.time;
    }
    set_state(t, task_state::ready, rec.time);
  });
}

void read_model::on(const event_record& rec, const events::reservation_invalidated& e) {
  update_task(rec, e.task, [&](task_view& t) {
    if (t.reservation && t.reservation->id == e.reservation) {
      t.reservation->status = "released";
      t.reservation->released_at = rec.time;
    }
    if (t.state == task_state::reserved)
      set_state(t, task_state::ready, rec.time);
  });
}

void read_model::on(const event_record& rec, const events::scope_drift_detected& e) {
  update_task(rec, e.task, [&](task_view& t) {
    for (auto& f : e.outside)
      if (std::find(t.drifted_files.begin(), t.drifted_files.end(), f) == t.drifted_files.end())
        t.drifted_files.push_back(f);
  });
}

const gate_rule_view* read_model::gate_rule(const uuid& id) const {
  auto it = gate_rules_.find(id);
  return it == gate_rules_.end() ? nullptr : &it->second;
}

std::vector<const gate_decision_view*> read_model::gate_decisions(
  const project_id& project, const std::optional<std::string>& task,
  const std::optional<std::string>& phase) const {
  std::vector<const gate_decision_view*> out;
  auto it = projects_.find(project);
  if (it == projects_.end())
    return out;
  // Newest first: the log order is the creation order, and breaks timestamp ties.
  for (auto d = it->second.gate_decisions.rbegin(); d != it->second.gate_decisions.rend(); ++d) {
    const auto& v = gate_decisions_.at(*d);
    if (task && (!v.task || v.task->str() != *task))
      continue;
    if (phase && (!v.phase || v.phase->str() != *phase))
      continue;
    out.push_back(&v);
  }
  return out;
}

const changeset_view* read_model::changeset(const uuid& id) const {
  auto it = changesets_.find(id);
  return it == changesets_.end() ? nullptr : &it->second;
}

std::vector<const plan_version_view*> read_model::plan_versions(const project_id& project) const {
  std::vector<const plan_version_view*> out;
  if (auto it = projects_.find(project); it != projects_.end())
    for (auto& v : it->second.plan_versions)
      out.push_back(&v);
  return out;
}

candidate_readiness read_model::readiness(const task_view& gate) const {
  candidate_readiness r;
  std::vector<std::string> ids = gate.gate_links;
  r.source = "gate_candidate_link";
  if (ids.empty()) {
    r.source = "work_spec";
    auto spec = gate.work_spec.object();
    if (auto* list = spec.if_contains("candidate_task_ids"); list && list->is_array())
      for (auto& v : list->get_array())
        ids.push_back(v.is_string() ? std::string(v.get_string()) : json::serialize(v));
  }
  for (auto& id : ids) {
    gate_candidate c;
    c.task_id = id;
    auto parsed = task_id::parse(id);
    auto* t = parsed ? task(*parsed) : nullptr;
    if (t && t->project == gate.project) {
      c.task = t;
      c.has_artifact = !t->artifacts.empty();
      c.has_integration_attempt = !t->attempts.empty();
      c.is_ready = t->state == task_state::integrated ||
                   (t->state == task_state::implemented && c.has_artifact);
    }
    r.ready += c.is_ready ? 1 : 0;
    r.candidates.push_back(c);
  }
  return r;
}

bool read_model::changed_since_claim(const task_view& t, const uuid& lease) const {
  for (auto& snap : t.snapshots)
    if (snap.lease == lease)
      return t.material_version > snap.plan_version;
  return false;
}

std::vector<const task_view*> read_model::held_tasks(const project_id& project) const {
  std::vector<const task_view*> out;
  auto it = projects_.find(project);
  if (it == projects_.end())
    return out;
  for (auto state : {task_state::claimed, task_state::in_progress})
    for (auto& key : it->second.by_state[size_t(state)]) {
      const auto& t = tasks_.at(task_id{std::get<2>(key)});
      if (t.live_lease())
        out.push_back(&t);
    }
  return out;
}

void read_model::governance_digest(
  const project_id& id, const std::function<void(const json::value&)>& line) const {
  const auto& index = projects_.at(id);
  for (auto& v : index.plan_versions)
    line({{"plan_version", v.id.str()}, {"project", id.str()}, {"number", v.number},
          {"changeset", v.changeset ? json::value(v.changeset->str()) : json::value(nullptr)},
          {"summary", v.summary}, {"at", v.created_at.micros}});
  for (auto& rid : index.gate_rules) {
    const auto& r = gate_rules_.at(rid);
    line({{"gate_rule", r.id.str()}, {"name", r.name}, {"scope", r.scope},
          {"conditions", r.conditions}, {"required_evidence", r.required_evidence},
          {"roles", json::array(r.required_reviewer_roles.begin(),
                                r.required_reviewer_roles.end())},
          {"active", r.is_active}, {"at", r.created_at.micros}});
  }
  for (auto& did : index.gate_decisions) {
    const auto& d = gate_decisions_.at(did);
    line({{"gate_decision", d.id.str()}, {"rule", d.gate_rule.str()},
          {"task", d.task ? json::value(d.task->str()) : json::value(nullptr)},
          {"phase", d.phase ? json::value(d.phase->str()) : json::value(nullptr)},
          {"outcome", d.outcome}, {"actor", d.actor}, {"reason", d.reason},
          {"evidence", json::array(d.evidence_refs.begin(), d.evidence_refs.end())},
          {"at", d.created_at.micros}});
  }
  for (auto& cid : index.changesets) {
    const auto& c = changesets_.at(cid);
    line({{"changeset", c.id.str()}, {"base", c.base_plan_version},
          {"target", c.target_plan_version}, {"status", c.status}, {"operations", c.operations},
          {"by", c.created_by}, {"at", c.created_at.micros},
          {"applied_at", c.applied_at ? c.applied_at->micros : -1},
          {"times_applied", c.times_applied}});
  }
}

}  // namespace tascade

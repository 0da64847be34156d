#include "catalogue/json/governance_shapes.hpp"

#include "actors/plan_rules.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace tascade::catalogue {

namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}
json::value opt_time(const std::optional<timestamp>& t) {
  return t ? json::value(t->iso()) : json::value(nullptr);
}

}  // namespace

json::object to_json(const gate_rule_view& r) {
  return {{"id", r.id.str()},
          {"project_id", r.project.str()},
          {"name", r.name},
          {"scope", r.scope},
          {"conditions", r.conditions},
          {"required_evidence", r.required_evidence},
          {"required_reviewer_roles", strings(r.required_reviewer_roles)},
          {"is_active", r.is_active},
          {"created_at", r.created_at.iso()},
          {"updated_at", r.created_at.iso()}};
}

json::object to_json(const gate_decision_view& d) {
  return {{"id", d.id.str()},
          {"project_id", d.project.str()},
          {"gate_rule_id", d.gate_rule.str()},
          {"task_id", d.task ? json::value(d.task->str()) : json::value(nullptr)},
          {"phase_id", d.phase ? json::value(d.phase->str()) : json::value(nullptr)},
          {"outcome", d.outcome},
          {"actor_id", d.actor},
          {"reason", d.reason},
          {"evidence_refs", strings(d.evidence_refs)},
          {"created_at", d.created_at.iso()}};
}

json::object to_json(const changeset_view& c) {
  return {{"id", c.id.str()},
          {"project_id", c.project.str()},
          {"base_plan_version", c.base_plan_version},
          {"target_plan_version", c.target_plan_version},
          {"status", c.status},
          {"operations", c.operations},
          {"impact_preview", json::object{}},
          {"created_at", c.created_at.iso()},
          {"created_by", c.created_by},
          {"applied_at", opt_time(c.applied_at)}};
}

json::object to_json(const plan_version_view& v) {
  return {{"id", v.id.str()},
          {"project_id", v.project.str()},
          {"version_number", v.number},
          {"change_set_id", v.changeset ? json::value(v.changeset->str()) : json::value(nullptr)},
          {"summary", v.summary},
          {"created_by", "system"},
          {"created_at", v.created_at.iso()}};
}

json::object readiness_json(const read_model& m, const task_view& gate) {
  auto r = m.readiness(gate);
  json::array candidates, blocked;
  for (auto& c : r.candidates) {
    candidates.push_back(
      {{"task_id", c.task_id},
       {"short_id", c.task ? json::value(c.task->short_id) : json::value(nullptr)},
       {"state", c.task ? json::value(to_string(c.task->state)) : json::value(nullptr)},
       {"has_artifact", c.has_artifact},
       {"has_integration_attempt", c.has_integration_attempt},
       {"is_ready", c.is_ready}});
    if (!c.is_ready)
      blocked.emplace_back(c.task_id);
  }
  return {{"status", r.status_ready() ? "ready" : "blocked"},
          {"source", r.source},
          {"total_candidates", r.candidates.size()},
          {"ready_candidates", r.ready},
          {"blocked_candidate_ids", blocked},
          {"candidates", candidates}};
}

json::object checkpoint_json(const read_model& m, const task_view& gate, timestamp now) {
  auto* phase = m.phase(gate.phase);
  auto* milestone = m.milestone(gate.milestone);
  auto readiness = readiness_json(m, gate);
  double hours = std::max<double>(0, double(now.micros - gate.created_at.micros) / 3.6e9);
  auto trigger = gate.work_spec.string_member("policy_trigger");
  return {{"task_id", gate.id.str()},
          {"task_short_id", gate.short_id},
          {"title", gate.title},
          {"gate_type", to_string(gate.klass)},
          {"state", to_string(gate.state)},
          {"scope",
           {{"phase_id", gate.phase.str()},
            {"phase_short_id", phase ? json::value(phase->short_id) : json::value(nullptr)},
            {"milestone_id", gate.milestone.str()},
            {"milestone_short_id",
             milestone ? json::value(milestone->short_id) : json::value(nullptr)}}},
          {"age_hours", std::round(hours * 1000) / 1000},
          {"risk_summary",
           {{"policy_trigger", trigger ? json::value(*trigger) : json::value(nullptr)},
            {"candidate_total", readiness.at("total_candidates")},
            {"candidate_ready", readiness.at("ready_candidates")},
            {"candidate_blocked", readiness.at("blocked_candidate_ids").as_array().size()},
            {"blocked_candidate_ids", readiness.at("blocked_candidate_ids")}}},
          {"created_at", gate.created_at.iso()},
          {"updated_at", gate.updated_at.iso()}};
}

json::value apply_result_json(const read_model& m, const command_done& done) {
  const changeset_view* changeset = nullptr;
  const plan_version_view* version = nullptr;
  json::array claims, reservations, material;
  bool rebased = false;
  for (auto& rec : done.records) {
    auto& p = rec.payload;
    if (rec.type == events::changeset_applied::type) {
      changeset = m.changeset(*uuid::parse(p.at("changeset_id").as_string()));
      auto project = project_id::parse(p.at("project_id").as_string());
      for (auto* v : m.plan_versions(*project))
        if (v->id.str() == p.at("plan_version_id").as_string())
          version = v;
      material = p.at("material_task_ids").as_array();
      rebased = p.at("rebased").as_bool();
    } else if (rec.type == events::lease_invalidated::type) {
      claims.push_back(p.at("task_id"));
    } else if (rec.type == events::reservation_invalidated::type) {
      reservations.push_back(p.at("task_id"));
    }
  }
  if (!changeset || !version)
    return nullptr;
  return json::object{{"changeset", to_json(*changeset)},
                      {"plan_version", to_json(*version)},
                      {"invalidated_claim_task_ids", claims},
                      {"invalidated_reservation_task_ids", reservations},
                      {"material_task_ids", material},
                      {"rebased", rebased}};
}

json::object validation_json(const read_model& m, const changeset_view& c, bool allow_rebase) {
  auto* project = m.project(c.project);
  int64_t current = project ? project->plan_version : 1;
  json::object out{{"changeset", to_json(c)},
                   {"current_plan_version", current},
                   {"stale", c.base_plan_version != current}};
  auto refuse = [&](const caf::error& err) {
    out["valid"] = false;
    out["error"] = {{"code", to_string(code_of(err))},
                    {"message", message_of(err)},
                    {"details", details_of(err)}};
    return out;
  };
  if (auto stale = stale_base(c.base_plan_version, current, allow_rebase))
    return refuse(*stale);
  auto changes = compute_plan_changes(c.operations, [&](const task_id& id) {
    auto* t = m.task(id);
    return t && t->project == c.project;
  });
  if (!changes)
    return refuse(changes.error());
  json::array material, claims, reservations;
  for (auto& id : changes->material) {
    material.emplace_back(id.str());
    auto* t = m.task(id);
    if (t && t->state == task_state::claimed && t->live_lease())
      claims.emplace_back(id.str());
    else if (t && t->state == task_state::reserved && t->live_reservation())
      reservations.emplace_back(id.str());
  }
  out["valid"] = true;
  out["error"] = nullptr;
  out["would_create_plan_version"] = next_plan_version(c.target_plan_version, current);
  out["updates"] = std::move(changes->updates);
  out["skipped_operations"] = std::move(changes->skipped);
  json::array cancels;
  for (auto& id : changes->cancels)
    cancels.emplace_back(id.str());
  out["creates"] = std::move(changes->creates);
  out["cancel_task_ids"] = std::move(cancels);
  out["material_task_ids"] = material;
  out["would_invalidate_claim_task_ids"] = claims;
  out["would_invalidate_reservation_task_ids"] = reservations;
  return out;
}

json::object current_plan_json(const read_model& m, const project_view& p) {
  json::array history;
  json::value current = nullptr;
  for (auto* v : m.plan_versions(p.id)) {
    history.push_back(to_json(*v));
    current = history.back();
  }
  return {{"project_id", p.id.str()},
          {"current_version_number", p.plan_version},
          {"plan_version", current},
          {"history", history}};
}

}  // namespace tascade::catalogue

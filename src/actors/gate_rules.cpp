#include "actors/gate_rules.hpp"

#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace tascade {

namespace json = boost::json;

using events_or_error = caf::expected<std::vector<events::event>>;

events_or_error decide(const project_state& s, const create_gate_rule& c,
                       const decide_context& ctx) {
  if (!s.exists)
    return make_error(errc::project_not_found, "Project not found");
  return std::vector<events::event>{events::gate_rule_created{
    ctx.new_id(), s.id, c.name, c.scope, c.conditions, c.required_evidence,
    c.required_reviewer_roles, c.is_active}};
}

events_or_error decide(const project_state& s, const record_gate_decision& c,
                       const task_locator& tasks, const phase_locator& phases,
                       const decide_context& ctx) {
  if (!s.exists)
    return make_error(errc::project_not_found, "Project not found");
  auto rule = uuid::parse(c.gate_rule);
  if (!rule || !s.gate_rules.count(*rule))
    return make_error(errc::gate_rule_not_found, "Gate rule not found");
  std::optional<task_id> task;
  if (c.task) {
    task = task_id::parse(*c.task);
    auto owner = task ? (s.tasks.count(*task) ? std::optional(s.id) : tasks(*task)) : std::nullopt;
    if (!owner)
      return make_error(errc::task_not_found, "Task not found");
    if (*owner != s.id)
      return make_error(errc::project_mismatch, "Gate decision references an entity in another project");
  }
  std::optional<phase_id> phase;
  if (c.phase) {
    phase = phase_id::parse(*c.phase);
    auto owner =
      phase ? (s.phases.count(*phase) ? std::optional(s.id) : phases(*phase)) : std::nullopt;
    if (!owner)
      return make_error(errc::phase_not_found, "Phase not found");
    if (*owner != s.id)
      return make_error(errc::project_mismatch, "Gate decision references an entity in another project");
  }
  if (!task && !phase)
    return make_error(errc::gate_scope_required, "Gate decision must reference task_id or phase_id");
  return std::vector<events::event>{events::gate_decision_recorded{
    ctx.new_id(), s.id, *rule, task, phase, c.outcome, c.actor, c.reason, c.evidence_refs}};
}

caf::expected<gate_policy> parse_gate_policy(const json::object& in) {
  gate_policy p;
  auto bad = [](std::string what) { return make_error(errc::policy_config_invalid, what); };
  for (auto& [key, value] : in) {
    if (key == "implemented_backlog_threshold" || key == "risk_threshold" ||
        key == "implemented_age_hours") {
      if (!value.is_int64())
        return bad(std::string(key) + " must be an integer");
      auto n = value.get_int64();
      if (n < 1)
        return bad(std::string(key) + " must be >= 1");
      (key == "risk_threshold"            ? p.risk_threshold
       : key == "implemented_age_hours"   ? p.implemented_age_hours
                                          : p.implemented_backlog_threshold) = n;
    } else if (key == "risk_task_classes") {
      if (!value.is_array())
        return bad("risk_task_classes must be a list of task classes");
      p.risk_task_classes.clear();
      for (auto& item : value.get_array()) {
        auto k = item.is_string() ? parse_enum<task_class>(item.get_string(), task_class_names)
                                  : std::nullopt;
        if (!k)
          return bad("risk_task_classes: unknown task class " + json::serialize(item));
        p.risk_task_classes.push_back(*k);
      }
    } else if (key == "scope_drift_review") {
      if (!value.is_bool())
        return bad("scope_drift_review must be a boolean");
      p.scope_drift_review = value.get_bool();
    } else {
      return make_error(errc::validation_failed,
                        "policy." + std::string(key) + ": Extra inputs are not permitted");
    }
  }
  return p;
}

namespace {

struct trigger_spec {
  const char* name;
  task_class klass;
  int64_t priority;
  const char* title;
  const char* objective;
};

constexpr trigger_spec milestone_completion{
  "milestone_completion", task_class::review_gate, 90, "Milestone Review Checkpoint",
  "Review the completed milestone before it is closed."};
constexpr trigger_spec implemented_backlog{
  "implemented_backlog", task_class::merge_gate, 95, "Implemented Backlog Merge Checkpoint",
  "Batch the implemented backlog of this milestone into reviewed merges."};
constexpr trigger_spec risk_overlap{
  "risk_overlap", task_class::review_gate, 100, "Risk/Overlap Escalation Checkpoint",
  "Review the risky or overlapping work of this milestone and record mitigations."};
constexpr trigger_spec implemented_age_sla{
  "implemented_age_sla", task_class::review_gate, 92, "Implemented Age SLA Checkpoint",
  "Address implemented work that has waited longer than the age SLA."};
constexpr trigger_spec scope_drift{
  "scope_drift", task_class::review_gate, 91, "Scope Drift Review Checkpoint",
  "Review work whose artifacts touched files beyond the task's expected touches."};

std::vector<task_id> by_creation(std::vector<const policy_task*> tasks) {
  std::stable_sort(tasks.begin(), tasks.end(), [](const policy_task* a, const policy_task* b) {
    return a->created_at < b->created_at;
  });
  std::vector<task_id> out;
  for (auto* t : tasks)
    out.push_back(t->id);
  return out;
}

}  // namespace

policy_outcome evaluate_policies(const std::vector<policy_milestone>& milestones,
                                 const gate_policy& policy, timestamp now) {
  policy_outcome out;
  std::set<std::pair<std::string, milestone_id>> existing;
  for (auto& m : milestones)
    for (auto& t : m.tasks)
      if (is_gate(t.klass) && is_active_gate_state(t.state) && !t.policy_trigger.empty())
        existing.insert({t.policy_trigger, m.id});
  // Capped so that the microseconds fit: a billion hours is "never" anyway.
  const int64_t age_limit =
    std::min<int64_t>(policy.implemented_age_hours, 1'000'000'000) * 3'600'000'000LL;
  for (auto& m : milestones) {
    std::vector<const policy_task*> non_gate, implemented, risky, aged, drifted;
    for (auto& t : m.tasks) {
      if (is_gate(t.klass))
        continue;
      non_gate.push_back(&t);
      if (t.state == task_state::implemented) {
        implemented.push_back(&t);
        if (now.micros - t.updated_at.micros >= age_limit)
          aged.push_back(&t);
      }
      bool risk_class = std::find(policy.risk_task_classes.begin(), policy.risk_task_classes.end(),
                                  t.klass) != policy.risk_task_classes.end();
      if (risk_class && !is_terminal(t.state))
        risky.push_back(&t);
      if (t.scope_drift && !is_terminal(t.state))
        drifted.push_back(&t);
    }
    bool integrated = !non_gate.empty() &&
                      std::all_of(non_gate.begin(), non_gate.end(), [](const policy_task* t) {
                        return t->state == task_state::integrated;
                      });
    out.evaluated.push_back({{"milestone_id", m.id.str()},
                             {"milestone_short_id", m.short_id},
                             {"milestone_triggered", integrated},
                             {"implemented_backlog_count", implemented.size()},
                             {"risk_count", risky.size()},
                             {"age_breach_count", aged.size()},
                             {"scope_drift_count", drifted.size()}});
    auto consider = [&](const trigger_spec& spec, bool condition,
                        const std::vector<const policy_task*>& candidates) {
      if (!condition || existing.count({spec.name, m.id}))
        return;
      existing.insert({spec.name, m.id});
      auto label = m.short_id.empty() ? m.id.str() : m.short_id;
      out.gates.push_back({m.id, m.phase, spec.name, spec.klass, spec.priority,
                           "[Gate] " + std::string(spec.title) + " (" + label + ")",
                           spec.objective, by_creation(candidates)});
    };
    consider(milestone_completion, integrated, non_gate);
    consider(implemented_backlog,
             int64_t(implemented.size()) >= policy.implemented_backlog_threshold, implemented);
    consider(risk_overlap, int64_t(risky.size()) >= policy.risk_threshold, risky);
    consider(implemented_age_sla, !aged.empty(), aged);
    consider(scope_drift, policy.scope_drift_review && !drifted.empty(), drifted);
  }
  return out;
}

events_or_error decide(const project_state& s, const evaluate_gate_policies& c,
                       const std::vector<policy_milestone>& milestones,
                       const decide_context& ctx) {
  if (!s.exists)
    return make_error(errc::project_not_found, "Project not found");
  auto outcome = evaluate_policies(milestones, c.policy, ctx.now);
  std::vector<events::event> out;
  auto state = s;  // short ids are allocated one gate after the other
  std::vector<task_id> created;
  for (auto& g : outcome.gates) {
    create_task t;
    t.meta = c.meta;
    t.project = s.id.str();
    t.milestone = g.milestone.str();
    t.phase = g.phase.str();
    t.title = g.title;
    t.priority = g.priority;
    t.klass = g.klass;
    t.capability_tags = {"gate", "orchestrator", "policy"};
    json::array candidates;
    for (auto& id : g.candidates)
      candidates.emplace_back(id.str());
    t.work_spec = {{"objective", g.objective},
                   {"acceptance_criteria",
                    json::array{"Every candidate is reviewed and the outcome recorded as a gate "
                                "decision.",
                                "The checkpoint's closure records an auditable rationale."}},
                   {"constraints", json::array{}},
                   {"interfaces", json::array{}},
                   {"path_hints", json::array{}},
                   {"policy_trigger", g.trigger},
                   {"policy_scope", {{"milestone_id", g.milestone.str()}}},
                   {"candidate_task_ids", candidates},
                   {"generated_by", c.actor}};
    auto evs = decide(state, t, ctx);
    if (!evs)
      return std::move(evs.error());
    for (auto& ev : *evs) {
      tascade::apply(state, ev);
      created.push_back(std::get<events::task_created>(ev).id);
      out.push_back(std::move(ev));
    }
  }
  out.push_back(events::gate_policies_evaluated{s.id, c.actor, c.policy_json,
                                                std::move(outcome.evaluated), std::move(created)});
  return out;
}

}  // namespace tascade

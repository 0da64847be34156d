#include "actors/project_rules.hpp"

#include "actors/cycle_check.hpp"
#include "tascade/errc.hpp"

namespace tascade {

namespace {

using events_or_error = caf::expected<std::vector<events::event>>;

caf::error missing_project() { return make_error(errc::project_not_found, "Project not found"); }

}  // namespace

events_or_error decide(const project_state& s, const create_project& c,
                       const decide_context& ctx) {
  if (s.exists)
    return make_error(errc::invariant_violation, "project already exists");
  if (c.name.empty())
    return make_error(errc::validation_failed, "name must not be empty");
  return std::vector<events::event>{
    events::project_created{s.id, c.name, plan_version_id{ctx.new_id()}}};
}

events_or_error decide(const project_state& s, const create_phase& c, const decide_context& ctx) {
  if (!s.exists)
    return missing_project();
  if (c.sequence < 0)
    return make_error(errc::validation_failed, "sequence must be >= 0");
  if (s.phase_sequences.count(c.sequence))
    return make_error(errc::sequence_conflict,
                      "a phase with sequence " + std::to_string(c.sequence) + " exists");
  auto number = s.phase_counter + 1;
  return std::vector<events::event>{events::phase_created{
    phase_id{ctx.new_id()}, s.id, c.name, c.sequence, number, "P" + std::to_string(number)}};
}

events_or_error decide(const project_state& s, const create_milestone& c,
                       const decide_context& ctx) {
  if (!s.exists)
    return missing_project();
  if (!c.phase)
    return make_error(errc::identifier_parent_required, "Milestone hierarchy is required for short-id generation");
  auto phase = phase_id::parse(*c.phase);
  auto it = phase ? s.phases.find(*phase) : s.phases.end();
  if (it == s.phases.end())
    return make_error(errc::phase_not_found, "Phase not found");
  if (c.sequence < 0)
    return make_error(errc::validation_failed, "sequence must be >= 0");
  if (s.milestone_sequences.count(c.sequence))
    return make_error(errc::sequence_conflict,
                      "a milestone with sequence " + std::to_string(c.sequence) + " exists");
  auto number = it->second.milestone_counter + 1;
  return std::vector<events::event>{
    events::milestone_created{milestone_id{ctx.new_id()}, s.id, *phase, c.name, c.sequence, number,
                              it->second.short_id + ".M" + std::to_string(number)}};
}

events_or_error decide(const project_state& s, const create_task& c, const decide_context& ctx) {
  if (!s.exists)
    return missing_project();
  if (!c.milestone)
    return make_error(errc::identifier_parent_required, "Milestone hierarchy is required for short-id generation");
  auto milestone = milestone_id::parse(*c.milestone);
  auto it = milestone ? s.milestones.find(*milestone) : s.milestones.end();
  if (it == s.milestones.end())
    return make_error(errc::milestone_not_found, "Milestone not found");
  const auto& m = it->second;
  if (c.phase) {
    auto phase = phase_id::parse(*c.phase);
    if (!phase || *phase != m.phase)
      return make_error(errc::phase_milestone_mismatch,
                        "Task phase_id must match milestone phase_id");
  }
  auto number = m.task_counter + 1;
  events::task_created e;
  e.id = task_id{ctx.new_id()};
  e.project = s.id;
  e.phase = m.phase;
  e.milestone = *milestone;
  e.number = number;
  e.short_id = m.short_id + ".T" + std::to_string(number);
  e.title = c.title;
  e.description = c.description;
  e.priority = c.priority;
  e.work_spec = c.work_spec;
  e.klass = c.klass;
  e.capability_tags = c.capability_tags;
  e.expected_touches = c.expected_touches;
  e.exclusive_paths = c.exclusive_paths;
  e.shared_paths = c.shared_paths;
  return std::vector<events::event>{std::move(e)};
}

events_or_error decide(const project_state& s, const add_dependency& c,
                       const task_locator& locate, const decide_context& ctx) {
  if (c.from == c.to)
    return make_error(errc::cycle_detected, "Self dependency creates cycle");
  auto from = task_id::parse(c.from);
  auto to = task_id::parse(c.to);
  auto from_project = from ? locate(*from) : std::nullopt;
  auto to_project = to ? locate(*to) : std::nullopt;
  if (!from_project || !to_project)
    return make_error(errc::task_not_found, "From/to task missing");
  if (!s.exists || *from_project != s.id || *to_project != s.id)
    return make_error(errc::project_mismatch, "Dependency endpoints must belong to one project");
  if (s.has_edge(*from, *to))
    return make_error(errc::dependency_exists, "this dependency exists already");
  if (closes_cycle(s.dependents, *from, *to))
    return make_error(errc::cycle_detected, "Dependency introduces graph cycle");
  return std::vector<events::event>{
    events::dependency_added{edge_id{ctx.new_id()}, s.id, *from, *to, c.unlock}};
}

events_or_error decide(const project_state& s, const record_unlocked& c, const decide_context&) {
  if (!s.exists)
    return missing_project();
  std::vector<task_id> mine;
  for (auto& t : c.unlocked)
    if (s.tasks.count(t))
      mine.push_back(t);
  if (mine.empty())
    return std::vector<events::event>{};
  return std::vector<events::event>{events::tasks_unlocked{s.id, c.by, c.state, std::move(mine)}};
}

namespace {

struct applier {
  project_state& s;

  void operator()(const events::project_created& e) {
    s.exists = true;
    s.id = e.id;
    s.name = e.name;
  }
  void operator()(const events::phase_created& e) {
    s.phase_counter = std::max(s.phase_counter, e.number);
    s.phase_sequences.insert(e.sequence);
    s.phases[e.id] = {e.short_id, 0};
  }
  void operator()(const events::milestone_created& e) {
    s.milestone_sequences.insert(e.sequence);
    auto& phase = s.phases[e.phase];
    phase.milestone_counter = std::max(phase.milestone_counter, e.number);
    s.milestones[e.id] = {e.phase, e.short_id, 0};
  }
  void operator()(const events::task_created& e) {
    auto& m = s.milestones[e.milestone];
    m.task_counter = std::max(m.task_counter, e.number);
    s.tasks[e.id] = task_state::ready;
  }
  void operator()(const events::dependency_added& e) {
    s.dependents[e.from].push_back(e.to);
  }
  // Governance (issue 4).
  void operator()(const events::gate_rule_created& e) { s.gate_rules.insert(e.id); }
  void operator()(const events::changeset_created& e) {
    s.changesets[e.id] = {e.base_plan_version, e.target_plan_version, e.operations};
  }
  void operator()(const events::changeset_applied& e) {
    s.plan_version = std::max(s.plan_version, e.version_number);
  }
  void operator()(const events::plan_applied& e) { s.applied_plans.insert(e.plan); }
  // Task-stream events never reach a project; tasks_unlocked changes no decision of it.
  template <class Other>
  void operator()(const Other&) {}
};

}  // namespace

void apply(project_state& s, const events::event& ev) {
  std::visit(applier{s}, ev);
  ++s.version;
}

}  // namespace tascade

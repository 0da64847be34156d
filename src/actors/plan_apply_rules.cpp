#include "actors/plan_apply_rules.hpp"

#include "actors/plan_rules.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace tascade {

namespace json = boost::json;

namespace {

caf::error bad(const std::string& where, std::string_view what) {
  return make_error(errc::validation_failed, where + " " + std::string(what));
}

std::optional<std::vector<std::string>> string_list(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  auto* v = o.if_contains(key);
  if (!v)
    return out;
  if (!v->is_array())
    return std::nullopt;
  for (auto& item : v->get_array()) {
    if (!item.is_string())
      return std::nullopt;
    out.emplace_back(item.get_string());
  }
  return out;
}

int64_t next_sequence(const std::set<int64_t>& taken) {
  return taken.empty() ? 1 : *taken.rbegin() + 1;
}

}  // namespace

caf::expected<events::task_created> planned_task(const project_state& s, const json::object& spec,
                                                 const milestone_id& milestone, int64_t already,
                                                 const uuid& id, const std::string& where) {
  auto it = s.milestones.find(milestone);
  if (it == s.milestones.end())
    return make_error(errc::milestone_not_found, "Milestone not found");
  events::task_created e;
  e.id = task_id{id};
  e.project = s.id;
  e.phase = it->second.phase;
  e.milestone = milestone;
  e.number = it->second.task_counter + already + 1;
  e.short_id = it->second.short_id + ".T" + std::to_string(e.number);
  auto* title = spec.if_contains("title");
  if (!title || !title->is_string() || title->get_string().empty())
    return bad(where, "needs a non-empty title");
  e.title = std::string(title->get_string());
  if (auto* d = spec.if_contains("description"); d && d->is_string())
    e.description = std::string(d->get_string());
  if (auto* p = spec.if_contains("priority")) {
    if (!p->is_int64())
      return bad(where, "priority must be an integer");
    e.priority = p->get_int64();
  }
  if (auto* w = spec.if_contains("work_spec")) {
    if (!w->is_object())
      return bad(where, "work_spec must be an object");
    e.work_spec = w->get_object();
  }
  if (auto* k = spec.if_contains("task_class")) {
    auto klass = k->is_string() ? parse_enum<task_class>(k->get_string(), task_class_names)
                                : std::nullopt;
    if (!klass)
      return bad(where, "task_class must be a task class");
    e.klass = *klass;
  }
  auto tags = string_list(spec, "capability_tags");
  auto touches = string_list(spec, "expected_touches");
  if (!tags || !touches)
    return bad(where, "capability_tags and expected_touches must be arrays of strings");
  e.capability_tags = std::move(*tags);
  e.expected_touches = std::move(*touches);
  return e;
}

caf::expected<std::vector<events::event>> decide(const project_state& s, const apply_plan& c,
                                                 const decide_context& ctx) {
  if (!s.exists)
    return make_error(errc::project_not_found, "Project not found");
  if (s.applied_plans.count(c.plan))
    return make_error(errc::plan_already_applied,
                      "Plan " + c.plan.str() + " was applied to this project already",
                      {{"error", "PlanAlreadyApplied"}, {"plan_id", c.plan.str()}});
  // The phases and milestones first, on a copy of the state, so the tasks see them.
  project_state next = s;
  std::vector<events::event> out;
  auto changeset = ctx.new_id();
  out.push_back(events::changeset_created{
    changeset, s.id, s.plan_version, s.plan_version + 1,
    json::array{json::object{{"op", "apply_plan"},
                             {"task_id", nullptr},
                             {"payload", json::object{{"plan_id", c.plan.str()},
                                                      {"tasks", c.tasks.size()},
                                                      {"dependencies", c.dependencies.size()}}}}},
    "plan:" + c.plan.str()});
  std::map<std::string, std::pair<phase_id, milestone_id>> phases;
  json::object phase_ids;
  for (auto& name : c.phases) {
    events::phase_created ph{phase_id{ctx.new_id()}, s.id, name,
                             next_sequence(next.phase_sequences), next.phase_counter + 1,
                             "P" + std::to_string(next.phase_counter + 1)};
    apply(next, ph);
    events::milestone_created ms{milestone_id{ctx.new_id()}, s.id, ph.id, name,
                                 next_sequence(next.milestone_sequences), 1, ph.short_id + ".M1"};
    apply(next, ms);
    phases[name] = {ph.id, ms.id};
    phase_ids[name] = {{"phase_id", ph.id.str()}, {"milestone_id", ms.id.str()}};
    out.push_back(std::move(ph));
    out.push_back(std::move(ms));
  }
  std::vector<task_id> tasks;
  json::array pairs;
  std::map<milestone_id, int64_t> made;
  for (size_t i = 0; i < c.tasks.size(); ++i) {
    auto where = "tasks[" + std::to_string(i) + "]";
    if (!c.tasks[i].is_object())
      return bad(where, "must be an object");
    auto& spec = c.tasks[i].get_object();
    auto* phase = spec.if_contains("phase");
    auto found = phase && phase->is_string() ? phases.find(std::string(phase->get_string()))
                                             : phases.end();
    if (found == phases.end())
      return bad(where, "names a phase the plan does not list");
    auto milestone = found->second.second;
    auto task = planned_task(next, spec, milestone, made[milestone]++, ctx.new_id(), where);
    if (!task)
      return std::move(task.error());
    tasks.push_back(task->id);
    auto* node = spec.if_contains("node_id");
    pairs.push_back({{"node_id", node ? *node : json::value(nullptr)},
                     {"task_id", task->id.str()}});
    out.push_back(std::move(*task));
  }
  for (size_t i = 0; i < c.dependencies.size(); ++i) {
    auto* d = c.dependencies[i].if_object();
    auto* from = d ? d->if_contains("from") : nullptr;
    auto* to = d ? d->if_contains("to") : nullptr;
    if (!from || !to || !from->is_int64() || !to->is_int64() || from->get_int64() < 0 ||
        to->get_int64() < 0 || size_t(from->get_int64()) >= tasks.size() ||
        size_t(to->get_int64()) >= tasks.size() || from->get_int64() == to->get_int64())
      return bad("dependencies[" + std::to_string(i) + "]", "must join two different tasks");
    out.push_back(events::dependency_added{edge_id{ctx.new_id()}, s.id,
                                           tasks[size_t(from->get_int64())],
                                           tasks[size_t(to->get_int64())],
                                           unlock_on::implemented});
  }
  events::changeset_applied applied;
  applied.changeset = changeset;
  applied.project = s.id;
  applied.plan_version = plan_version_id{ctx.new_id()};
  applied.version_number = next_plan_version(s.plan_version + 1, s.plan_version);
  applied.base_plan_version = s.plan_version;
  out.push_back(applied);
  out.push_back(events::plan_applied{c.plan, s.id, changeset, applied.version_number,
                                     std::move(pairs), std::move(phase_ids)});
  return out;
}

}  // namespace tascade

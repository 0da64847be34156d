#include "actors/plan_rules.hpp"

#include "actors/cycle_check.hpp"
#include "actors/plan_apply_rules.hpp"
#include "actors/project_rules.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace tascade {

namespace json = boost::json;

namespace {

caf::error bad_field(size_t index, std::string_view key, std::string_view what) {
  return make_error(errc::validation_failed,
                    "operations[" + std::to_string(index) + "].payload." + std::string(key) +
                      " must be " + std::string(what),
                    {{"operation_index", index}, {"field", key}});
}

bool string_array(const json::value& v) {
  return v.is_array() && std::all_of(v.get_array().begin(), v.get_array().end(),
                                     [](const json::value& x) { return x.is_string(); });
}

// The recognised keys of an update_task payload, checked and copied (others are ignored).
caf::expected<json::object> update_fields(const json::object& payload, size_t index) {
  json::object out;
  for (auto& [key, value] : payload) {
    if (key == "work_spec") {
      if (!value.is_object())
        return bad_field(index, key, "an object");
    } else if (key == "task_class") {
      if (!value.is_string() || !parse_enum<task_class>(value.get_string(), task_class_names))
        return bad_field(index, key, "a task class");
    } else if (key == "capability_tags" || key == "expected_touches" ||
               key == "exclusive_paths" || key == "shared_paths") {
      if (!string_array(value))
        return bad_field(index, key, "an array of strings");
    } else if (key == "priority") {
      if (!value.is_int64())  // beyond int64 is not a priority either
        return bad_field(index, key, "an integer");
    } else if (key == "title") {
      if (!value.is_string() || value.get_string().empty())
        return bad_field(index, key, "a non-empty string");
    } else if (key == "description") {
      if (!value.is_string() && !value.is_null())
        return bad_field(index, key, "a string or null");
    } else {
      continue;
    }
    out[key] = value;
  }
  return out;
}

// The task_created and dependency_added events of a changeset's create_task operations, on a
// copy of the state so each sees the ones before it and no edge closes a cycle.
caf::expected<std::vector<events::event>> created_tasks(const project_state& s,
                                                        const json::array& creates,
                                                        const decide_context& ctx) {
  std::vector<events::event> out;
  if (creates.empty())
    return out;
  project_state next = s;
  std::map<std::string, task_id> by_key;
  std::map<milestone_id, int64_t> made;
  auto edge = [&](const task_id& from, const task_id& to, size_t index) -> caf::error {
    if (!next.tasks.count(from) || !next.tasks.count(to))
      return make_error(errc::task_not_found, "operation " + std::to_string(index) +
                                                " links a task that is not in the project");
    if (from == to || next.has_edge(from, to))
      return {};
    if (closes_cycle(next.dependents, from, to))
      return make_error(errc::cycle_detected, "operation " + std::to_string(index) +
                                                " would close a dependency cycle");
    events::dependency_added d{edge_id{ctx.new_id()}, s.id, from, to, unlock_on::implemented};
    apply(next, d);
    out.push_back(std::move(d));
    return {};
  };
  auto ids = [](const json::object& p, std::string_view key) {
    std::vector<task_id> list;
    if (auto* v = p.if_contains(key); v && v->is_array())
      for (auto& item : v->get_array())
        if (auto t = item.is_string() ? task_id::parse(item.get_string()) : std::nullopt)
          list.push_back(*t);
    return list;
  };
  for (auto& c : creates) {
    auto index = size_t(c.at("operation_index").to_number<int64_t>());
    auto& p = c.at("payload").as_object();
    auto milestone = milestone_id::parse(p.at("milestone_id").as_string());
    if (!milestone || !next.milestones.count(*milestone))
      return make_error(errc::milestone_not_found, "Milestone not found",
                        {{"operation_index", index}});
    auto task = planned_task(next, p, *milestone, made[*milestone]++, ctx.new_id(),
                             "operations[" + std::to_string(index) + "].payload");
    if (!task)
      return std::move(task.error());
    auto id = task->id;
    apply(next, *task);
    out.push_back(std::move(*task));
    if (auto* key = p.if_contains("key"); key && key->is_string())
      by_key[std::string(key->get_string())] = id;
    std::vector<task_id> before = ids(p, "depends_on_task_ids");
    if (auto* keys = p.if_contains("depends_on"); keys && keys->is_array())
      for (auto& k : keys->get_array())
        if (auto it = k.is_string() ? by_key.find(std::string(k.get_string())) : by_key.end();
            it != by_key.end())
          before.push_back(it->second);
    for (auto& from : before)
      if (auto err = edge(from, id, index))
        return err;
    for (auto& to : ids(p, "dependent_task_ids"))
      if (auto err = edge(id, to, index))
        return err;
  }
  return out;
}

}  // namespace

bool is_material_key(std::string_view key) {
  return key == "work_spec" || key == "task_class" || key == "capability_tags" ||
         key == "expected_touches" || key == "exclusive_paths" || key == "shared_paths";
}

caf::expected<json::object> normalise_operation(const json::value& op, size_t index) {
  auto where = "operations[" + std::to_string(index) + "]";
  if (!op.is_object())
    return make_error(errc::validation_failed, where + " must be an object");
  const auto& o = op.get_object();
  for (auto& [key, value] : o)
    if (key != "op" && key != "task_id" && key != "payload")
      return make_error(errc::validation_failed, where + "." + std::string(key) +
                                                   ": Extra inputs are not permitted");
  auto* name = o.if_contains("op");
  if (!name || !name->is_string())
    return make_error(errc::validation_failed, where + ".op: Field required (a string)");
  json::object out{{"op", *name}, {"task_id", nullptr}, {"payload", json::object{}}};
  if (auto* task = o.if_contains("task_id"); task && !task->is_null()) {
    if (!task->is_string())
      return make_error(errc::validation_failed, where + ".task_id must be a string or null");
    out["task_id"] = *task;
  }
  if (auto* payload = o.if_contains("payload"); payload && !payload->is_null()) {
    if (!payload->is_object())
      return make_error(errc::validation_failed, where + ".payload must be an object");
    out["payload"] = *payload;
  }
  return out;
}

caf::expected<plan_changes> compute_plan_changes(
  const json::array& operations, const std::function<bool(const task_id&)>& in_project) {
  plan_changes out;
  auto skip = [&](size_t index, const json::object& op, std::string_view reason) {
    out.skipped.push_back({{"operation_index", index}, {"op", op.at("op")}, {"reason", reason}});
  };
  for (size_t i = 0; i < operations.size(); ++i) {
    const auto& op = operations[i].as_object();
    std::string_view name = op.at("op").as_string();
    auto& task_ref = op.at("task_id");
    std::string ref = task_ref.is_string() ? std::string(task_ref.get_string()) : "";
    const auto& payload = op.at("payload").as_object();
    auto task = task_id::parse(ref);
    bool known = task && in_project(*task);
    if (name == "reprioritize_task") {
      if (ref.empty() || !known || !payload.contains("priority")) {
        skip(i, op, ref.empty() ? "no task_id" : !known ? "task not found" : "no priority");
        continue;
      }
      auto& p = payload.at("priority");
      if (!p.is_int64())
        return bad_field(i, "priority", "an integer");
      out.updates.push_back(
        {{"task_id", task->str()}, {"operation_index", i}, {"fields", {{"priority", p}}}});
    } else if (name == "update_task") {
      if (ref.empty()) {
        skip(i, op, "no task_id");
        continue;
      }
      if (!known)
        return make_error(errc::changeset_not_found,
                          "operation " + std::to_string(i) + " names a task that is not in the "
                          "changeset's project",
                          {{"operation_index", i}, {"task_id", ref}});
      auto fields = update_fields(payload, i);
      if (!fields)
        return std::move(fields.error());
      bool material = std::any_of(fields->begin(), fields->end(),
                                  [](const auto& kv) { return is_material_key(kv.key()); });
      if (material && std::find(out.material.begin(), out.material.end(), *task) ==
                        out.material.end())
        out.material.push_back(*task);
      out.updates.push_back(
        {{"task_id", task->str()}, {"operation_index", i}, {"fields", std::move(*fields)}});
    } else if (name == "create_task") {
      auto* milestone = payload.if_contains("milestone_id");
      if (!milestone || !milestone->is_string())
        return bad_field(i, "milestone_id", "a milestone id");
      out.creates.push_back({{"operation_index", i}, {"payload", payload}});
    } else if (name == "cancel_task") {
      if (ref.empty()) {
        skip(i, op, "no task_id");
        continue;
      }
      if (!known)
        return make_error(errc::changeset_not_found,
                          "operation " + std::to_string(i) + " cancels a task that is not in "
                          "the changeset's project",
                          {{"operation_index", i}, {"task_id", ref}});
      out.cancels.push_back(*task);
      out.updates.push_back({{"task_id", task->str()},
                             {"operation_index", i},
                             {"fields", {{"cancel", true}}}});
    } else {
      skip(i, op, "unknown operation");
    }
  }
  return out;
}

std::optional<caf::error> stale_base(int64_t base, int64_t current, bool allow_rebase) {
  if (base == current || allow_rebase)
    return std::nullopt;
  return make_error(errc::plan_stale, "Base plan version is stale",
                    {{"current_plan_version", current}, {"base_plan_version", base}});
}

int64_t next_plan_version(int64_t target, int64_t current) {
  return std::max(target, current + 1);
}

caf::expected<std::vector<events::event>> decide(const project_state& s, const create_changeset& c,
                                                 const decide_context& ctx) {
  if (!s.exists)
    return make_error(errc::project_not_found, "Project not found");
  return std::vector<events::event>{events::changeset_created{
    ctx.new_id(), s.id, c.base_plan_version, c.target_plan_version, c.operations, c.created_by}};
}

caf::expected<std::vector<events::event>> decide(const project_state& s, const apply_changeset& c,
                                                 const decide_context& ctx) {
  auto id = uuid::parse(c.changeset);
  auto it = id ? s.changesets.find(*id) : s.changesets.end();
  if (!s.exists || it == s.changesets.end())
    return make_error(errc::changeset_not_found, "Changeset not found");
  const auto& cs = it->second;
  if (auto stale = stale_base(cs.base, s.plan_version, c.allow_rebase))
    return *stale;
  auto changes = compute_plan_changes(
    cs.operations, [&](const task_id& t) { return s.tasks.count(t) > 0; });
  if (!changes)
    return std::move(changes.error());
  auto made = created_tasks(s, changes->creates, ctx);
  if (!made)
    return std::move(made.error());
  events::changeset_applied e;
  e.changeset = *id;
  e.project = s.id;
  e.plan_version = plan_version_id{ctx.new_id()};
  e.version_number = next_plan_version(cs.target, s.plan_version);
  e.base_plan_version = s.plan_version;
  e.rebased = cs.base != s.plan_version;
  e.updates = std::move(changes->updates);
  e.material = std::move(changes->material);
  made->push_back(std::move(e));
  return std::move(*made);
}

}  // namespace tascade

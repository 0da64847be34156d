#include "projections/governance_facts.hpp"

#include "actors/touch_conflicts.hpp"

#include <boost/json.hpp>

namespace tascade {

std::vector<held_touches> held_touches_of(const read_model& m, const project_id& project) {
  std::vector<held_touches> out;
  for (auto* t : m.held_tasks(project))
    if (!t->expected_touches.empty())
      out.push_back({t->id, t->short_id, t->lease->agent, t->state, t->expected_touches});
  return out;
}

void add_governance_facts(facts& f, const projection_hub& hub) {
  const auto* h = &hub;
  f.locate_phase = [h](const phase_id& id) {
    return h->read([&](const read_model& m) -> std::optional<project_id> {
      auto* p = m.phase(id);
      return p ? std::optional<project_id>(p->project) : std::nullopt;
    });
  };
  f.policy_milestones = [h](const project_id& project) {
    return h->read([&](const read_model& m) {
      std::vector<policy_milestone> out;
      std::unordered_map<milestone_id, size_t> at;
      for (auto* ms : m.milestones(project)) {
        at[ms->id] = out.size();
        out.push_back({ms->id, ms->phase, ms->short_id, {}});
      }
      for (auto* t : m.tasks_in_order(project)) {
        auto it = at.find(t->milestone);
        if (it == at.end())
          continue;
        auto trigger = t->work_spec.string_member("policy_trigger");
        out[it->second].tasks.push_back(
          {t->id, t->klass, t->state, t->created_at, t->updated_at,
           trigger ? *trigger : "",
           !t->drifted_files.empty()});
      }
      return out;
    });
  };
  f.changeset_project = [h](const uuid& id) {
    return h->read([&](const read_model& m) -> std::optional<project_id> {
      auto* c = m.changeset(id);
      return c ? std::optional<project_id>(c->project) : std::nullopt;
    });
  };
  f.gate_approved = [h](const task_id& id) {
    return h->read([&](const read_model& m) {
      auto* t = m.task(id);
      return t && t->gate_approved;
    });
  };
  f.material_change = [h](const task_id& id) {
    return h->read([&](const read_model& m) -> std::optional<std::pair<uuid, int64_t>> {
      auto* t = m.task(id);
      if (!t || !t->material_changeset)
        return std::nullopt;
      return std::pair{*t->material_changeset, t->material_version};
    });
  };
  f.plan_fields = [h](const task_id& id) {
    return h->read([&](const read_model& m) -> std::optional<boost::json::object> {
      auto* t = m.task(id);
      if (!t)
        return std::nullopt;
      return boost::json::object{
        {"task_class", to_string(t->klass)},
        {"capability_tags", boost::json::array(t->capability_tags.begin(),
                                               t->capability_tags.end())},
        {"expected_touches", boost::json::array(t->expected_touches.begin(),
                                                t->expected_touches.end())},
        {"work_spec", t->work_spec.object()}};
    });
  };
  // claim-next's NOTHING_CLAIMABLE also names the ready tasks left for touch conflicts.
  if (auto why = f.why_not_claimable)
    f.why_not_claimable = [h, why](const project_id& project, const std::string& agent) {
      auto out = why(project, agent);
      auto conflicted = h->read([&](const read_model& m) {
        boost::json::array items;
        auto held = held_touches_of(m, project);
        for (auto* t : m.ready_tasks(project, agent, {})) {
          auto conflicts = touch_conflicts(t->id, t->expected_touches, held, agent);
          if (!conflicts.empty())
            items.push_back({{"task_id", t->id.str()},
                             {"short_id", t->short_id},
                             {"state", to_string(t->state)},
                             {"reason", "touch_conflict"},
                             {"conflicts", std::move(conflicts)}});
          if (items.size() == 5)
            break;
        }
        return items;
      });
      auto& candidates = out["candidates"];
      if (!candidates.is_array())
        candidates = boost::json::array{};
      for (auto& c : conflicted)
        candidates.as_array().push_back(std::move(c));
      return out;
    };
  f.touch_conflicts = [h](const task_id& id, const std::string& agent) {
    return h->read([&](const read_model& m) {
      auto* t = m.task(id);
      if (!t || t->expected_touches.empty())
        return boost::json::array{};
      return touch_conflicts(t->id, t->expected_touches, held_touches_of(m, t->project), agent);
    });
  };
  f.declared_touches = [h](const task_id& id) {
    return h->read([&](const read_model& m) -> std::optional<std::pair<project_id, held_touches>> {
      auto* t = m.task(id);
      if (!t || t->expected_touches.empty())
        return std::nullopt;
      return std::pair{t->project, held_touches{t->id, t->short_id, "", t->state,
                                                t->expected_touches}};
    });
  };
}

}  // namespace tascade

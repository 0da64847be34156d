// The planner's read models (issue 17): plans, their context cards, where they were applied
// and which changeset a rerun proposed. Applied in global order like every read model.

#include "projections/read_model.hpp"

#include <boost/json.hpp>

#include <map>
#include <set>

namespace tascade {

namespace json = boost::json;

plan_view& read_model::add_plan(const event_record& rec, const uuid& id,
                                const std::string& project_ref, const std::string& run_id,
                                const json::object& plan) {
  auto& p = plans_[id];
  p.id = id;
  p.project_ref = project_ref;
  p.run_id = run_id;
  p.plan = plan;
  p.created_at = rec.time;
  p.updated_at = rec.time;
  p.seq = rec.seq;
  plans_in_order_.push_back(id);
  plans_by_run_[{project_ref, run_id}] = id;
  if (auto* nodes = plan.if_contains("nodes"); nodes && nodes->is_array())
    for (auto& n : nodes->get_array())
      if (auto node = uuid::parse(n.at("id").as_string()))
        plan_of_node_[*node] = id;
  return p;
}

void read_model::on(const event_record& rec, const events::plan_created& e) {
  add_plan(rec, e.id, e.project_ref, e.run_id, e.plan);
}

void read_model::on(const event_record& rec, const events::plan_rerun& e) {
  auto& p = add_plan(rec, e.id, e.project_ref, e.run_id, e.plan);
  p.source = e.source;
  p.diff = e.diff;
  p.proposed = e.proposed;
}

void read_model::on(const event_record& rec, const events::context_card_recorded& e) {
  auto it = plans_.find(e.plan);
  if (it == plans_.end())
    return;
  auto& p = it->second;
  cards_[e.id] = context_card_view{e.id, e.plan, e.node, e.status, e.card, rec.time};
  p.cards.push_back(e.id);
  p.updated_at = rec.time;
  auto node_id = e.node.str();
  for (auto& n : p.plan.at("nodes").as_array()) {
    auto& node = n.as_object();
    if (node.at("id").as_string() != node_id)
      continue;
    auto& out = node["artifactsOut"].as_array();
    for (auto& a : e.artifacts_out)
      out.push_back(a);
  }
}

void read_model::on(const event_record& rec, const events::plan_applied& e) {
  auto it = plans_.find(e.plan);
  if (it == plans_.end())
    return;
  it->second.applied = {{"project_id", e.project.str()},
                        {"changeset_id", e.changeset.str()},
                        {"version_number", e.version_number},
                        {"tasks", e.tasks},
                        {"phases", e.phases}};
  it->second.updated_at = rec.time;
}

void read_model::note_plan_changeset(const events::changeset_created& e) {
  auto& by = e.created_by;
  if (by.rfind("plan:", 0) != 0)
    return;
  auto id = uuid::parse(std::string_view(by).substr(5));
  auto it = id ? plans_.find(*id) : plans_.end();
  if (it == plans_.end() || !it->second.source)
    return;
  it->second.proposed_changeset = e.id;
}

void read_model::note_plan_changeset_applied(const events::changeset_applied& e) {
  auto c = changesets_.find(e.changeset);
  if (c == changesets_.end() || c->second.created_by.rfind("plan:", 0) != 0)
    return;
  auto id = uuid::parse(std::string_view(c->second.created_by).substr(5));
  auto it = id ? plans_.find(*id) : plans_.end();
  if (it == plans_.end() || !it->second.source || !it->second.applied.empty())
    return;
  auto source = plans_.find(*it->second.source);
  if (source == plans_.end() || source->second.applied.empty())
    return;
  std::set<std::string> cancelled;
  for (auto& u : e.updates)
    if (u.at("fields").as_object().contains("cancel"))
      cancelled.emplace(u.at("task_id").as_string());
  std::map<std::string, std::string> by_key;
  for (auto& task : projects_.at(e.project).tasks_in_order) {
    const auto& t = tasks_.at(task);
    if (t.state == task_state::cancelled || cancelled.count(t.id.str()))
      continue;
    auto spec = t.work_spec.object();
    auto* plan = spec.if_contains("plan");
    auto* key = plan && plan->is_object() ? plan->get_object().if_contains("node_key") : nullptr;
    if (key && key->is_string())
      by_key[std::string(key->get_string())] = t.id.str();
  }
  json::array pairs;
  for (auto& n : it->second.plan.at("nodes").as_array()) {
    auto found = by_key.find(std::string(n.at("key").as_string()));
    pairs.push_back({{"node_id", n.at("id")},
                     {"task_id", found == by_key.end() ? json::value(nullptr)
                                                       : json::value(found->second)}});
  }
  it->second.applied = {{"project_id", e.project.str()},
                        {"changeset_id", e.changeset.str()},
                        {"version_number", e.version_number},
                        {"tasks", std::move(pairs)},
                        {"phases", source->second.applied.at("phases")}};
}

const plan_view* read_model::plan(const uuid& id) const {
  auto it = plans_.find(id);
  return it == plans_.end() ? nullptr : &it->second;
}

const plan_view* read_model::plan_by_run(const std::string& project_ref,
                                         const std::string& run_id) const {
  auto it = plans_by_run_.find({project_ref, run_id});
  return it == plans_by_run_.end() ? nullptr : plan(it->second);
}

const plan_view* read_model::plan_of_node(const uuid& node) const {
  auto it = plan_of_node_.find(node);
  return it == plan_of_node_.end() ? nullptr : plan(it->second);
}

const context_card_view* read_model::context_card(const uuid& id) const {
  auto it = cards_.find(id);
  return it == cards_.end() ? nullptr : &it->second;
}

void read_model::plans_digest(const std::function<void(const json::value&)>& line) const {
  for (auto& id : plans_in_order_) {
    const auto& p = plans_.at(id);
    line({{"plan", p.id.str()},
          {"project_ref", p.project_ref},
          {"run_id", p.run_id},
          {"content", p.plan},
          {"source", p.source ? json::value(p.source->str()) : json::value(nullptr)},
          {"diff", p.diff},
          {"proposed", p.proposed},
          {"proposed_changeset",
           p.proposed_changeset ? json::value(p.proposed_changeset->str()) : nullptr},
          {"applied", p.applied},
          {"created_at", p.created_at.micros},
          {"updated_at", p.updated_at.micros}});
    for (auto& card : p.cards) {
      const auto& c = cards_.at(card);
      line({{"card", c.id.str()}, {"node", c.node.str()}, {"status", c.status},
            {"content", c.card}, {"created_at", c.created_at.micros}});
    }
  }
}

}  // namespace tascade

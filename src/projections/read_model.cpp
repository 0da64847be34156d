#include "projections/read_model.hpp"

#include "events/codec/payload_codec.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>

namespace tascade {

void read_model::apply(const event_record& rec) {
  assert(rec.seq == checkpoint_ + 1);  // the feed is gapless; a hole is a bug upstream
  auto ev = events::decode_payload(rec.type, rec.schema, rec.payload);
  if (ev)
    std::visit([&](const auto& e) { on(rec, e); }, *ev);
  else
    spdlog::error("projection skips event {}: {}", rec.seq, message_of(ev.error()));
  checkpoint_ = rec.seq;
}

void read_model::on(const event_record& rec, const events::project_created& e) {
  auto& index = projects_[e.id];
  index.project = project_view{e.id, e.name, rec.time, rec.seq, 1};
  projects_in_order_.push_back(e.id);
}

void read_model::on(const event_record& rec, const events::phase_created& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  phases_[e.id] = phase_view{e.id, e.project, e.short_id, e.name, e.sequence, rec.time};
  it->second.phases_by_sequence[e.sequence] = e.id;
}

void read_model::on(const event_record& rec, const events::milestone_created& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  milestones_[e.id] =
    milestone_view{e.id, e.project, e.phase, e.short_id, e.name, e.sequence, rec.time};
  it->second.milestones_by_sequence[e.sequence] = e.id;
}

void read_model::on(const event_record& rec, const events::task_created& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  task_view t;
  t.id = e.id;
  t.project = e.project;
  t.phase = e.phase;
  t.milestone = e.milestone;
  t.short_id = e.short_id;
  t.title = e.title;
  t.description = e.description;
  t.priority = e.priority;
  t.work_spec = e.work_spec;
  t.klass = e.klass;
  t.capability_tags = e.capability_tags;
  t.expected_touches = e.expected_touches;
  t.exclusive_paths = e.exclusive_paths;
  t.shared_paths = e.shared_paths;
  t.created_at = t.updated_at = rec.time;
  t.seq = rec.seq;
  auto key = key_of(t);
  auto& index = it->second;
  index.tasks_in_order.push_back(e.id);
  index.all.insert(key);
  index.by_state[size_t(t.state)].insert(key);
  index.by_phase[t.phase].insert(key);
  for (auto& tag : t.capability_tags)
    index.by_capability[tag].insert(key);
  tasks_by_short_id_.emplace(t.short_id, t.id);
  tasks_.emplace(e.id, std::move(t));
}

void read_model::on(const event_record& rec, const events::dependency_added& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  edges_[e.id] = edge_view{e.id, e.project, e.from, e.to, e.unlock, rec.time};
  it->second.edges.push_back(e.id);
}

std::vector<const project_view*> read_model::projects() const {
  std::vector<const project_view*> out;
  out.reserve(projects_in_order_.size());
  for (auto& id : projects_in_order_)
    out.push_back(&projects_.at(id).project);
  // Newest first; the log order breaks timestamp ties so the list is deterministic.
  std::stable_sort(out.begin(), out.end(), [](const project_view* a, const project_view* b) {
    if (a->created_at != b->created_at)
      return a->created_at > b->created_at;
    return a->seq > b->seq;
  });
  return out;
}

const project_view* read_model::project(const project_id& id) const {
  auto it = projects_.find(id);
  return it == projects_.end() ? nullptr : &it->second.project;
}

std::vector<const phase_view*> read_model::phases(const project_id& id) const {
  std::vector<const phase_view*> out;
  if (auto it = projects_.find(id); it != projects_.end())
    for (auto& [sequence, phase] : it->second.phases_by_sequence)
      out.push_back(&phases_.at(phase));
  return out;
}

const phase_view* read_model::phase(const phase_id& id) const {
  auto it = phases_.find(id);
  return it == phases_.end() ? nullptr : &it->second;
}

std::vector<const milestone_view*> read_model::milestones(const project_id& id) const {
  std::vector<const milestone_view*> out;
  if (auto it = projects_.find(id); it != projects_.end())
    for (auto& [sequence, milestone] : it->second.milestones_by_sequence)
      out.push_back(&milestones_.at(milestone));
  return out;
}

const milestone_view* read_model::milestone(const milestone_id& id) const {
  auto it = milestones_.find(id);
  return it == milestones_.end() ? nullptr : &it->second;
}

const task_view* read_model::task(const task_id& id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

std::pair<task_ref_result, const task_view*> read_model::resolve_task(std::string_view ref) const {
  if (auto id = task_id::parse(ref))
    if (auto* t = task(*id))
      return {task_ref_result::found, t};
  auto [first, last] = tasks_by_short_id_.equal_range(std::string(ref));
  if (first == last)
    return {task_ref_result::not_found, nullptr};
  if (std::next(first) != last)
    return {task_ref_result::ambiguous, nullptr};
  return {task_ref_result::found, task(first->second)};
}

task_page read_model::tasks(const task_query& q) const {
  task_page page;
  auto it = projects_.find(q.project);
  if (it == projects_.end())
    return page;
  const auto& index = it->second;
  // Walk the smallest index that the filters name; check the other filters per task.
  static const ordered_tasks empty;
  const ordered_tasks* source = &index.all;
  auto consider = [&](const ordered_tasks* candidate) {
    if (candidate->size() < source->size())
      source = candidate;
  };
  if (q.state)
    consider(&index.by_state[size_t(*q.state)]);
  if (q.phase) {
    auto p = index.by_phase.find(*q.phase);
    consider(p == index.by_phase.end() ? &empty : &p->second);
  }
  if (q.capability) {
    auto c = index.by_capability.find(*q.capability);
    consider(c == index.by_capability.end() ? &empty : &c->second);
  }
  for (auto& key : *source) {
    const auto& t = tasks_.at(task_id{std::get<2>(key)});
    if (q.state && t.state != *q.state)
      continue;
    if (q.phase && t.phase != *q.phase)
      continue;
    if (q.capability && std::find(t.capability_tags.begin(), t.capability_tags.end(),
                                  *q.capability) == t.capability_tags.end())
      continue;
    if (page.total >= q.offset && page.items.size() < q.limit)
      page.items.push_back(&t);
    ++page.total;
  }
  return page;
}

std::vector<const task_view*> read_model::tasks_in_order(const project_id& id) const {
  std::vector<const task_view*> out;
  if (auto it = projects_.find(id); it != projects_.end()) {
    out.reserve(it->second.tasks_in_order.size());
    for (auto& t : it->second.tasks_in_order)
      out.push_back(&tasks_.at(t));
  }
  return out;
}

const edge_view* read_model::edge(const edge_id& id) const {
  auto it = edges_.find(id);
  return it == edges_.end() ? nullptr : &it->second;
}

std::vector<const edge_view*> read_model::edges(const project_id& id) const {
  std::vector<const edge_view*> out;
  if (auto it = projects_.find(id); it != projects_.end())
    for (auto& e : it->second.edges)
      out.push_back(&edges_.at(e));
  return out;
}

}  // namespace tascade

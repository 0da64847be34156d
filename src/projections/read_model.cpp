#include "projections/read_model.hpp"

#include "events/codec/payload_codec.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <unordered_set>

namespace tascade {

void read_model::apply(const event_record& rec) {
  assert(rec.seq == checkpoint_ + 1);  // the feed is gapless; a hole is a bug upstream
  auto ev = events::decode_payload(rec.type, rec.schema, rec.payload);
  if (ev) {
    std::visit([&](const auto& e) { on(rec, e); }, *ev);
    if (metrics_on_)
      metrics_.apply(rec, *ev, *this);
  } else
    spdlog::error("projection skips event {}: {}", rec.seq, message_of(ev.error()));
  checkpoint_ = rec.seq;
}

void read_model::on(const event_record& rec, const events::project_created& e) {
  auto& index = projects_[e.id];
  index.project = project_view{e.id, e.name, rec.time, rec.seq, 1};
  index.plan_versions.push_back(
    plan_version_view{e.initial_plan_version, e.id, 1, std::nullopt, "Initial plan", rec.time});
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
  // Gate candidates named at creation become links: distinct ids in list order (spec §10.3).
  if (t.klass == task_class::review_gate || t.klass == task_class::merge_gate)
    if (auto* ids = e.work_spec.if_contains("candidate_task_ids"); ids && ids->is_array())
      for (auto& v : ids->get_array()) {
        auto id = v.is_string() ? std::string(v.get_string()) : boost::json::serialize(v);
        if (std::find(t.gate_links.begin(), t.gate_links.end(), id) == t.gate_links.end())
          t.gate_links.push_back(id);
      }
  auto key = key_of(t);
  auto& index = it->second;
  index.tasks_in_order.push_back(e.id);
  index.all.insert(key);
  index.by_state[size_t(t.state)].insert(key);
  index.by_phase[t.phase].insert(key);
  for (auto& tag : t.capability_tags)
    index.by_capability[tag].insert(key);
  tasks_by_short_id_.emplace(t.short_id, t.id);
  t.timeline.push_back(rec.seq);
  auto& stored = tasks_.emplace(e.id, std::move(t)).first->second;
  index_ready(stored);
}

void read_model::on(const event_record& rec, const events::dependency_added& e) {
  auto it = projects_.find(e.project);
  if (it == projects_.end())
    return;
  edges_[e.id] = edge_view{e.id, e.project, e.from, e.to, e.unlock, rec.time};
  it->second.edges.push_back(e.id);
  auto* from = mutable_task(e.from);
  auto* to = mutable_task(e.to);
  if (!from || !to)
    return;
  from->out_edges.push_back(e.id);
  to->in_edges.push_back(e.id);
  if (!satisfies(from->state, e.unlock)) {
    unindex_ready(*to);
    ++to->unmet;
    index_ready(*to);
  }
}

// ---- execution -------------------------------------------------------------------------------

task_view* read_model::mutable_task(const task_id& id) {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

void read_model::unindex_ready(const task_view& t) {
  auto& index = projects_.at(t.project);
  auto key = key_of(t);
  index.ready.erase(key);
  for (auto& tag : t.capability_tags)
    if (auto it = index.ready_by_capability.find(tag); it != index.ready_by_capability.end())
      it->second.erase(key);
  if (t.reservation)
    if (auto it = index.reserved_for.find(t.reservation->assignee); it != index.reserved_for.end())
      it->second.erase(key);
}

void read_model::index_ready(const task_view& t) {
  if (t.unmet)
    return;
  auto& index = projects_.at(t.project);
  auto key = key_of(t);
  if (t.state == task_state::ready) {
    index.ready.insert(key);
    for (auto& tag : t.capability_tags)
      index.ready_by_capability[tag].insert(key);
  } else if (t.state == task_state::reserved && t.live_reservation()) {
    index.reserved_for[t.reservation->assignee].insert(key);
  }
}

void read_model::set_state(task_view& t, task_state state, timestamp when) {
  auto& index = projects_.at(t.project);
  auto key = key_of(t);
  auto old = t.state;
  index.by_state[size_t(old)].erase(key);
  index.by_state[size_t(state)].insert(key);
  t.state = state;
  t.updated_at = when;
  // A prerequisite that starts or stops satisfying an edge moves its dependent's count.
  for (auto& eid : t.out_edges) {
    const auto& e = edges_.at(eid);
    bool before = satisfies(old, e.unlock), after = satisfies(state, e.unlock);
    if (before == after)
      continue;
    auto* d = mutable_task(e.to);
    if (!d)
      continue;
    unindex_ready(*d);
    d->unmet = before ? d->unmet + 1 : d->unmet - 1;
    index_ready(*d);
  }
}

void read_model::on(const event_record& rec, const events::task_claimed& e) {
  update_task(rec, e.task, [&](task_view& t) {
    if (e.reservation_consumed && t.reservation) {
      t.reservation->status = "consumed";
      t.reservation->released_at = rec.time;
    }
    t.lease = lease_view{e.lease, e.agent, e.token, "active", e.expires_at, rec.time, e.fencing,
                         rec.time, std::nullopt};
    t.snapshots.push_back(snapshot_view{e.snapshot, e.lease, e.plan_version, e.work_spec_hash,
                                        t.work_spec.object(), e.agent, rec.time});
    set_state(t, task_state::claimed, rec.time);
  });
}

void read_model::on(const event_record& rec, const events::lease_renewed& e) {
  update_task(rec, e.task, [&](task_view& t) {
    if (t.lease && t.lease->fencing == e.fencing) {
      t.lease->expires_at = e.expires_at;
      t.lease->heartbeat_at = rec.time;
    }
  });
}

void read_model::on(const event_record& rec, const events::lease_expired& e) {
  update_task(rec, e.task, [&](task_view& t) {
    if (t.lease && t.lease->fencing == e.fencing) {
      t.lease->status = "expired";
      t.lease->released_at = rec.time;
    }
    set_state(t, task_state::ready, rec.time);
  });
}

void read_model::on(const event_record& rec, const events::task_assigned& e) {
  update_task(rec, e.task, [&](task_view& t) {
    t.reservation = reservation_view{e.reservation, e.assignee,   "active",     e.ttl_micros,
                                     e.created_by,  rec.time,     e.expires_at, std::nullopt};
    set_state(t, task_state::reserved, rec.time);
  });
}

void read_model::on(const event_record& rec, const events::reservation_released& e) {
  update_task(rec, e.task, [&](task_view& t) {
    if (t.reservation && t.reservation->id == e.reservation) {
      t.reservation->status = e.reason == "expired" ? "expired" : "released";
      t.reservation->released_at = rec.time;
    }
    if (t.state == task_state::reserved)
      set_state(t, task_state::ready, rec.time);
  });
}

void read_model::on(const event_record& rec, const events::task_state_transitioned& e) {
  update_task(rec, e.task, [&](task_view& t) {
    if (e.lease_released && t.live_lease()) {
      t.lease->status = "released";
      t.lease->released_at = rec.time;
    }
    if (e.reservation_released && t.live_reservation()) {
      t.reservation->status = "released";
      t.reservation->released_at = rec.time;
    }
    set_state(t, e.to, rec.time);
  });
}

void read_model::on(const event_record& rec, const events::artifact_recorded& e) {
  update_task(rec, e.task, [&](task_view& t) {
    t.artifacts.push_back(artifact_view{e.id, e.short_id, e.agent, e.branch, e.commit_sha,
                                        e.check_suite_ref, e.check_status, e.touched_files,
                                        rec.time});
  });
}

void read_model::on(const event_record& rec, const events::integration_attempt_enqueued& e) {
  update_task(rec, e.task, [&](task_view& t) {
    attempts_[e.id] = attempt_view{e.id,       e.task,        e.project, e.short_id,
                                   e.base_sha, e.head_sha,    "queued",  e.diagnostics,
                                   rec.time,   std::nullopt};
    t.attempts.push_back(e.id);
  });
}

void read_model::on(const event_record& rec, const events::integration_result_recorded& e) {
  update_task(rec, e.task, [&](task_view&) {
    if (auto it = attempts_.find(e.id); it != attempts_.end()) {
      it->second.result = e.result;
      it->second.diagnostics = e.diagnostics;
      it->second.ended_at = rec.time;
    }
  });
}

void read_model::on(const event_record& rec, const events::tasks_unlocked& e) {
  for (auto& id : e.unlocked)
    if (auto* t = mutable_task(id))
      t->timeline.push_back(rec.seq);
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

std::pair<task_ref_result, const task_view*> read_model::resolve_task(
  std::string_view ref, std::string_view scope) const {
  auto visible = [&](const task_view* t) { return scope == "*" || t->project.str() == scope; };
  if (auto id = task_id::parse(ref))
    if (auto* t = task(*id); t && visible(t))
      return {task_ref_result::found, t};
  const task_view* found = nullptr;
  auto [first, last] = tasks_by_short_id_.equal_range(std::string(ref));
  for (auto it = first; it != last; ++it) {
    auto* t = task(it->second);
    if (!visible(t))
      continue;
    if (found)
      return {task_ref_result::ambiguous, nullptr};
    found = t;
  }
  return {found ? task_ref_result::found : task_ref_result::not_found, found};
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

std::vector<const task_view*> read_model::ready_tasks(
  const project_id& project, const std::string& agent,
  const std::vector<std::string>& capabilities, size_t limit) const {
  std::vector<const task_view*> out;
  auto it = projects_.find(project);
  if (it == projects_.end())
    return out;
  const auto& index = it->second;
  std::vector<order_key> keys;
  auto add_all = [&](const ordered_tasks& set) { keys.insert(keys.end(), set.begin(), set.end()); };
  auto add_first = [&](const ordered_tasks& set) {
    auto end = set.begin();
    std::advance(end, std::min(limit, set.size()));
    keys.insert(keys.end(), set.begin(), end);
  };
  auto mine = index.reserved_for.find(agent);
  if (capabilities.empty()) {
    add_first(index.ready);
    if (mine != index.reserved_for.end())
      add_all(mine->second);
  } else {
    for (auto& cap : capabilities)
      if (auto c = index.ready_by_capability.find(cap); c != index.ready_by_capability.end())
        add_first(c->second);
    if (mine != index.reserved_for.end())
      for (auto& key : mine->second) {
        const auto& tags = tasks_.at(task_id{std::get<2>(key)}).capability_tags;
        auto match = std::any_of(tags.begin(), tags.end(), [&](const std::string& tag) {
          return std::find(capabilities.begin(), capabilities.end(), tag) != capabilities.end();
        });
        if (match)
          keys.push_back(key);
      }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  out.reserve(keys.size());
  for (auto& key : keys)
    out.push_back(&tasks_.at(task_id{std::get<2>(key)}));
  return out;
}

std::vector<blocked_candidate> read_model::blocked_candidates(const project_id& project,
                                                              const std::string& agent,
                                                              size_t limit) const {
  std::vector<blocked_candidate> out;
  auto it = projects_.find(project);
  if (it == projects_.end())
    return out;
  const auto& index = it->second;
  auto collect = [&](task_state state, auto&& reason_of) {
    size_t found = 0;
    for (auto& key : index.by_state[size_t(state)]) {
      if (found == limit)
        break;
      const auto& t = tasks_.at(task_id{std::get<2>(key)});
      std::string reason = reason_of(t);
      if (reason.empty())
        continue;
      out.push_back({&t, std::move(reason)});
      ++found;
    }
  };
  collect(task_state::ready,
          [](const task_view& t) { return t.unmet ? "waiting_on_dependencies" : ""; });
  collect(task_state::reserved, [&](const task_view& t) -> std::string {
    if (t.live_reservation() && t.reservation->assignee != agent)
      return "reserved_for_other";
    return t.unmet ? "waiting_on_dependencies" : "";
  });
  collect(task_state::claimed, [](const task_view&) { return "held"; });
  collect(task_state::in_progress, [](const task_view&) { return "held"; });
  return out;
}

std::vector<const edge_view*> read_model::unmet_edges(const task_id& task) const {
  std::vector<const edge_view*> out;
  auto* t = this->task(task);
  if (!t)
    return out;
  for (auto& eid : t->in_edges) {
    const auto& e = edges_.at(eid);
    auto* from = this->task(e.from);
    if (!from || !satisfies(from->state, e.unlock))
      out.push_back(&e);
  }
  return out;
}

std::vector<task_id> read_model::unlocked_dependents(const task_id& task,
                                                    task_state before) const {
  std::vector<task_id> out;
  auto* t = this->task(task);
  if (!t)
    return out;
  for (auto& eid : t->out_edges) {
    const auto& e = edges_.at(eid);
    auto* d = this->task(e.to);
    if (d && satisfies(t->state, e.unlock) && !satisfies(before, e.unlock) && d->unmet == 0 &&
        (d->state == task_state::ready || d->state == task_state::reserved))
      out.push_back(d->id);
  }
  return out;
}

void read_model::on(const event_record& rec, const events::key_created& e) {
  keys_[e.id] = key_view{e.id,         e.project, e.name, e.roles, "active",
                         e.created_by, e.hash,    rec.time, std::nullopt};
  keys_by_hash_[e.hash] = e.id;
  keys_in_order_.push_back(e.id);
}

void read_model::on(const event_record& rec, const events::key_revoked& e) {
  if (auto it = keys_.find(e.id); it != keys_.end()) {
    it->second.status = "revoked";
    it->second.revoked_at = rec.time;
  }
}

void read_model::on(const event_record& rec, const events::auth_denied& e) {
  // A refusal that named a task joins that task's audit timeline.
  if (!e.task)
    return;
  auto project = project_id::parse(e.project);  // as the client spelt it
  if (auto* t = mutable_task(*e.task); t && project && t->project == *project)
    t->timeline.push_back(rec.seq);
}

const key_view* read_model::key_by_hash(const std::string& hash) const {
  auto it = keys_by_hash_.find(hash);
  return it == keys_by_hash_.end() ? nullptr : &keys_.at(it->second);
}

const key_view* read_model::key(const uuid& id) const {
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : &it->second;
}

std::vector<const key_view*> read_model::keys(const std::string& project) const {
  std::vector<const key_view*> out;
  for (auto it = keys_in_order_.rbegin(); it != keys_in_order_.rend(); ++it) {
    const auto& k = keys_.at(*it);
    if (project == "*" || k.project == project)
      out.push_back(&k);
  }
  return out;
}

std::vector<task_id> read_model::tasks_with_deadlines() const {
  std::vector<task_id> out;
  for (auto& [id, t] : tasks_)
    if (t.live_lease() || t.live_reservation())
      out.push_back(id);
  return out;
}

const attempt_view* read_model::attempt(const uuid& id) const {
  auto it = attempts_.find(id);
  return it == attempts_.end() ? nullptr : &it->second;
}

std::vector<std::pair<const task_view*, int>> read_model::related(const task_id& task, bool up,
                                                                  int max_depth) const {
  std::vector<std::pair<const task_view*, int>> out;
  if (max_depth <= 0 || !this->task(task))
    return out;
  std::unordered_set<task_id> seen{task};
  std::vector<std::pair<task_id, int>> frontier{{task, 0}};
  for (size_t i = 0; i < frontier.size(); ++i) {
    auto [current, depth] = frontier[i];
    if (depth >= max_depth)
      continue;
    const auto* t = this->task(current);
    for (auto& eid : up ? t->in_edges : t->out_edges) {
      const auto& e = edges_.at(eid);
      auto next = up ? e.from : e.to;
      if (!seen.insert(next).second)
        continue;
      if (auto* n = this->task(next)) {
        out.push_back({n, depth + 1});
        frontier.push_back({next, depth + 1});
      }
    }
  }
  return out;
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

#include "actors/task_rules.hpp"

#include "actors/path_glob.hpp"
#include "actors/touch_conflicts.hpp"
#include "events/canonical_json.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace tascade {

namespace json = boost::json;

namespace {

using ts = task_state;

bool owns(const task_aggregate& t, const std::string& project) {
  return t.exists && t.project.str() == project;
}

caf::error task_not_found() { return make_error(errc::task_not_found, "Task not found"); }

caf::error plan_stale(int64_t current, bool heartbeat) {
  json::object details{{"current_plan_version", current}};
  if (heartbeat)
    details["stale_action"] = "refresh";
  return make_error(errc::plan_stale, "Seen plan version is stale", details);
}

std::optional<caf::error> bad_ttl(double seconds) {
  if (!std::isfinite(seconds) || seconds < min_ttl_seconds || seconds > max_ttl_seconds)
    return make_error(errc::validation_failed,
                      "ttl_seconds must be between " + std::to_string(min_ttl_seconds) + " and " +
                        std::to_string(max_ttl_seconds));
  return std::nullopt;
}

int64_t micros(double seconds) { return int64_t(std::llround(seconds * 1e6)); }

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// With capabilities given, the task must carry one of them: the rule of the ready list (spec
// §7.3), where an untagged task does not match any capability set.
std::optional<caf::error> capability_mismatch(const task_aggregate& t,
                                              const std::optional<std::vector<std::string>>& caps) {
  if (!caps || caps->empty())
    return std::nullopt;
  for (auto& tag : t.capability_tags)
    if (std::find(caps->begin(), caps->end(), tag) != caps->end())
      return std::nullopt;
  return make_error(errc::capability_mismatch, "the agent has none of the task's capabilities",
                    {{"capability_tags", json::array(t.capability_tags.begin(),
                                                     t.capability_tags.end())}});
}

// A lease a plan change ended: say which changeset, so the agent re-reads the task.
caf::error invalidated_error(const task_aggregate& t, const std::string& token,
                             const std::string& agent) {
  const task_aggregate::invalidation* why = nullptr;
  if (auto it = t.invalidated_tokens.find(token); it != t.invalidated_tokens.end())
    why = &it->second;
  else if (auto by = t.invalidated_agents.find(agent); by != t.invalidated_agents.end())
    why = &by->second;
  json::object details{{"reason", "invalidated"}, {"current_fencing_counter", t.fencing}};
  if (why) {
    details["changeset_id"] = why->changeset.str();
    details["plan_version"] = why->plan_version;
  }
  return make_error(errc::lease_invalidated,
                    "a material plan change invalidated the lease; re-read the task and claim "
                    "it again",
                    details);
}

// The fencing check for writes by an agent on a task it may have held (issue 3). A token or
// counter must name the live lease. A former holder may not write once its lease expired or
// was invalidated (until it claims again), nor once another agent holds the task; a holder
// that released its lease normally may still write while nobody else holds it.
std::optional<caf::error> fenced(const task_aggregate& t, const std::string& agent,
                                 const lease_proof& proof) {
  auto refuse = [&](lease_end how) {
    static constexpr const char* reasons[] = {"released", "expired", "invalidated", "superseded"};
    if (how == lease_end::invalidated)
      return invalidated_error(t, proof.token ? *proof.token : "", agent);
    return make_error(errc::lease_fenced,
                      std::string("the lease was ") + reasons[size_t(how)] +
                        "; claim the task again before writing",
                      {{"reason", reasons[size_t(how)]}, {"current_fencing_counter", t.fencing}});
  };
  auto judge = [&](lease_end how) -> std::optional<caf::error> {
    if (how != lease_end::released)
      return refuse(how);
    if (t.lease)
      return refuse(lease_end::superseded);
    return std::nullopt;
  };
  if (proof.token && !(t.lease && *proof.token == t.lease->token)) {
    auto it = t.ended_tokens.find(*proof.token);
    if (it == t.ended_tokens.end())
      return make_error(errc::lease_invalid, "Invalid lease token");
    if (auto e = judge(it->second))
      return e;
  }
  if (proof.fencing && (!t.lease || *proof.fencing != t.lease->fencing)) {
    if (*proof.fencing > t.fencing)
      return make_error(errc::lease_invalid, "Invalid lease token");
    if (t.lease || *proof.fencing < t.fencing)
      return refuse(t.lease ? lease_end::superseded : lease_end::expired);
  }
  if (t.lease && t.lease->agent == agent)
    return std::nullopt;
  if (auto it = t.lost_by.find(agent); it != t.lost_by.end())
    return judge(it->second);
  return std::nullopt;
}

}  // namespace

bool transition_allowed(task_state from, task_state to) {
  switch (from) {
    case ts::backlog:
      return to == ts::ready || to == ts::abandoned || to == ts::cancelled;
    case ts::ready:
      return to == ts::in_progress || to == ts::blocked || to == ts::abandoned ||
             to == ts::cancelled;
    case ts::reserved:
      return to == ts::ready || to == ts::blocked || to == ts::abandoned || to == ts::cancelled;
    case ts::claimed:
      return to == ts::in_progress || to == ts::blocked || to == ts::abandoned ||
             to == ts::cancelled;
    case ts::in_progress:
      return to == ts::implemented || to == ts::blocked || to == ts::abandoned ||
             to == ts::cancelled;
    case ts::implemented:
      return to == ts::integrated || to == ts::conflict || to == ts::blocked;
    case ts::conflict:
      return to == ts::in_progress || to == ts::blocked || to == ts::abandoned;
    case ts::blocked:
      return to == ts::ready || to == ts::in_progress || to == ts::abandoned ||
             to == ts::cancelled;
    case ts::integrated:
    case ts::abandoned:
    case ts::cancelled:
      return false;
  }
  return false;
}

task_events decide(const task_aggregate& t, const claim_task& c, const task_context& ctx) {
  if (c.seen_plan_version && *c.seen_plan_version < ctx.plan_version)
    return plan_stale(ctx.plan_version, false);
  if (!owns(t, c.project))
    return task_not_found();
  if (auto e = bad_ttl(c.ttl_seconds))
    return *e;
  if (t.state != ts::ready && t.state != ts::reserved)
    return make_error(errc::task_not_claimable, "Task is not claimable in its current state",
                      {{"state", to_string(t.state)},
                       {"held_by", t.lease ? json::value(t.lease->agent) : json::value()}});
  if (t.lease)
    return make_error(errc::lease_exists, "Task already has an active lease");
  if (t.reservation && t.reservation->assignee != c.agent)
    return make_error(errc::reservation_conflict, "Task is reserved for another agent",
                      {{"reserved_for", t.reservation->assignee}});
  if (auto e = capability_mismatch(t, c.capabilities))
    return *e;
  if (!ctx.unmet.empty()) {
    json::array waiting;
    for (auto& u : ctx.unmet)
      waiting.push_back({{"task_id", u.from.str()},
                         {"short_id", u.short_id},
                         {"state", to_string(u.state)},
                         {"unlock_on", to_string(u.unlock)}});
    return make_error(errc::dependencies_unmet,
                      "the task waits on " + std::to_string(ctx.unmet.size()) + " dependenc" +
                        (ctx.unmet.size() == 1 ? "y" : "ies"),
                      {{"waiting_on", waiting}});
  }
  if (!ctx.touch_conflicts.empty() && !c.allow_conflict)
    return touch_conflict_error(ctx.touch_conflicts);
  events::task_claimed e;
  e.task = t.id;
  e.project = t.project;
  e.lease = ctx.new_id();
  e.token = ctx.new_id().str();
  e.agent = c.agent;
  e.fencing = t.fencing + 1;
  e.ttl_micros = micros(c.ttl_seconds);
  e.expires_at = timestamp{ctx.now.micros + e.ttl_micros};
  e.reservation_consumed = t.reservation.has_value();
  e.snapshot = ctx.new_id();
  e.plan_version = ctx.plan_version;
  e.work_spec_hash = canonical_hash(t.work_spec);
  return std::vector<events::event>{std::move(e)};
}

task_events decide(const task_aggregate& t, const heartbeat_task& c, const task_context& ctx) {
  if (c.seen_plan_version && *c.seen_plan_version < ctx.plan_version)
    return plan_stale(ctx.plan_version, true);
  if (!owns(t, c.project))
    return make_error(errc::lease_invalid, "Invalid lease token");
  if (auto it = t.ended_tokens.find(c.token); it != t.ended_tokens.end() &&
                                              it->second != lease_end::released)
    return fenced(t, c.agent, {c.token, std::nullopt}).value();
  if (!t.lease || t.lease->token != c.token || t.lease->agent != c.agent)
    return make_error(errc::lease_invalid, "Invalid lease token");
  double ttl = c.ttl_seconds ? *c.ttl_seconds : double(t.lease->ttl_micros) / 1e6;
  if (auto e = bad_ttl(ttl))
    return *e;
  return std::vector<events::event>{events::lease_renewed{
    t.id, t.project, t.lease->id, t.lease->fencing, timestamp{ctx.now.micros + micros(ttl)}}};
}

task_events decide(const task_aggregate& t, const assign_task& c, const task_context& ctx) {
  if (!owns(t, c.project))
    return task_not_found();
  if (auto e = bad_ttl(c.ttl_seconds))
    return *e;
  if (t.state != ts::ready && t.state != ts::reserved)
    return make_error(errc::task_not_assignable, "Task is not assignable in its current state",
                      {{"state", to_string(t.state)}});
  if (t.lease)
    return make_error(errc::lease_exists, "Task already has an active lease");
  if (t.reservation)
    return make_error(errc::reservation_exists, "Task already has an active reservation",
                      {{"reserved_for", t.reservation->assignee}});
  if (auto e = capability_mismatch(t, c.capabilities))
    return *e;
  auto ttl = micros(c.ttl_seconds);
  return std::vector<events::event>{events::task_assigned{
    t.id, t.project, ctx.new_id(), c.assignee, c.created_by, ttl, timestamp{ctx.now.micros + ttl},
    ctx.plan_version}};
}

task_events decide(const task_aggregate& t, const unassign_task& c, const task_context&) {
  if (!owns(t, c.project))
    return task_not_found();
  if (!t.reservation)
    return make_error(errc::reservation_not_found, "the task has no active reservation");
  return std::vector<events::event>{events::reservation_released{
    t.id, t.project, t.reservation->id, t.reservation->assignee, "unassigned"}};
}

task_events decide(const task_aggregate& t, const transition_task& c, const task_context& ctx) {
  if (!owns(t, c.project))
    return task_not_found();
  if (c.to == ts::claimed || c.to == ts::reserved)
    return make_error(errc::state_not_allowed,
                      "claimed and reserved are entered by claim and assign, not by a transition");
  if (c.to == t.state)
    return std::vector<events::event>{};
  if (auto e = fenced(t, c.actor, c.proof))
    return *e;
  if (!c.force && !transition_allowed(t.state, c.to))
    return make_error(errc::invalid_state_transition,
                      "Transition from " + std::string(to_string(t.state)) + " to " +
                        std::string(to_string(c.to)) + " is not allowed",
                      {{"from", to_string(t.state)}, {"to", to_string(c.to)}});
  if (!c.force && c.to == ts::integrated) {
    auto reviewer = trim(c.reviewed_by.value_or(""));
    if (reviewer.empty())
      return make_error(errc::review_required_for_integration,
                        "Integration requires reviewed_by naming the reviewer");
    auto has_evidence = std::any_of(c.review_evidence_refs.begin(), c.review_evidence_refs.end(),
                                    [](const std::string& r) { return !trim(r).empty(); });
    if (!has_evidence)
      return make_error(errc::review_evidence_required,
                        "Integration requires at least one review_evidence_refs entry");
    if (reviewer == c.actor || (t.implemented_by && reviewer == *t.implemented_by))
      return make_error(errc::self_review_not_allowed,
                        "The reviewer must not be the actor or the task's implementer");
    if ((t.klass == task_class::review_gate || t.klass == task_class::merge_gate) &&
        !ctx.gate_approved)
      return make_error(errc::gate_decision_required, "Gate decision is required before integration");
  }
  events::task_state_transitioned e;
  e.task = t.id;
  e.project = t.project;
  e.from = t.state;
  e.to = c.to;
  e.actor = c.actor;
  e.reason = c.reason;
  e.reviewed_by = c.reviewed_by;
  e.review_evidence_refs = c.review_evidence_refs;
  e.force = c.force;
  e.lease_released = t.lease && !holds_lease(c.to);
  e.reservation_released = t.reservation.has_value();
  return std::vector<events::event>{std::move(e)};
}

task_events decide(const task_aggregate& t, const record_artifact& c, const task_context& ctx) {
  if (!t.exists)
    return task_not_found();
  if (t.project.str() != c.project)
    return make_error(errc::project_mismatch, "Task and artifact project mismatch");
  if (auto e = fenced(t, c.agent, c.proof))
    return *e;
  events::artifact_recorded e;
  e.id = ctx.new_id();
  e.task = t.id;
  e.project = t.project;
  e.number = t.artifact_counter + 1;
  e.short_id = t.short_id + ".A" + std::to_string(e.number);
  e.agent = c.agent;
  e.branch = c.branch;
  e.commit_sha = c.commit_sha;
  e.check_suite_ref = c.check_suite_ref;
  e.check_status = c.check_status;
  e.touched_files = c.touched_files;
  std::vector<events::event> out{e};
  // Scope drift is measured only against declared touches: a task that declares none has no
  // scope to leave.
  if (!t.expected_touches.empty()) {
    auto outside = files_outside(c.touched_files, t.expected_touches);
    if (!outside.empty())
      out.push_back(events::scope_drift_detected{t.id, t.project, e.id, std::move(outside),
                                                 t.expected_touches});
  }
  return out;
}

task_events decide(const task_aggregate& t, const enqueue_attempt& c, const task_context& ctx) {
  if (!t.exists)
    return task_not_found();
  if (t.project.str() != c.project)
    return make_error(errc::project_mismatch, "Task and integration attempt project mismatch");
  events::integration_attempt_enqueued e;
  e.id = ctx.new_id();
  e.task = t.id;
  e.project = t.project;
  e.number = t.attempt_counter + 1;
  e.short_id = t.short_id + ".I" + std::to_string(e.number);
  e.base_sha = c.base_sha;
  e.head_sha = c.head_sha;
  e.diagnostics = c.diagnostics;
  return std::vector<events::event>{std::move(e)};
}

task_events decide(const task_aggregate& t, const record_attempt_result& c,
                   const task_context&) {
  auto attempt = uuid::parse(c.attempt);
  if (!t.exists || !attempt || !t.attempts.count(*attempt))
    return make_error(errc::integration_attempt_not_found, "Integration attempt not found");
  if (t.project.str() != c.project)
    return make_error(errc::project_mismatch, "Task and integration attempt project mismatch");
  if (c.result != "success" && c.result != "conflict" && c.result != "failed_checks")
    return make_error(errc::validation_failed,
                      "result must be one of success, conflict, failed_checks");
  return std::vector<events::event>{
    events::integration_result_recorded{*attempt, t.id, t.project, c.result, c.diagnostics}};
}

task_events decide(const task_aggregate& t, const plan_task_changed& c, const task_context&) {
  if (!t.exists || t.project.str() != c.project)
    return std::vector<events::event>{};
  // A rerun's changeset cancels the task of an operation the contract lost (issue 17).
  if (c.fields.contains("cancel")) {
    if (!transition_allowed(t.state, ts::cancelled))
      return std::vector<events::event>{};
    events::task_state_transitioned e;
    e.task = t.id;
    e.project = t.project;
    e.from = t.state;
    e.to = ts::cancelled;
    e.actor = "planner";
    e.reason = "plan changeset " + c.changeset.str() + " cancelled it";
    e.lease_released = t.lease.has_value();
    e.reservation_released = t.reservation.has_value();
    return std::vector<events::event>{std::move(e)};
  }
  if (!c.material)
    return std::vector<events::event>{};
  // A claim made on the new plan already (it raced ahead of this message) stays.
  if (t.state == ts::claimed && t.lease && t.lease->plan_version < c.plan_version)
    return std::vector<events::event>{
      events::lease_invalidated{t.id, t.project, t.lease->id, t.lease->fencing, t.lease->agent,
                                t.state, c.changeset, c.plan_version}};
  // Likewise a reservation made on the new plan (an unrecorded plan version counts as older).
  if (t.state == ts::reserved && t.reservation && t.reservation->plan_version < c.plan_version)
    return std::vector<events::event>{
      events::reservation_invalidated{t.id, t.project, t.reservation->id,
                                      t.reservation->assignee, c.changeset, c.plan_version}};
  return std::vector<events::event>{};
}

void apply_plan_fields(task_aggregate& t, const json::object& fields) {
  auto list = [](const json::value& v) {
    std::vector<std::string> out;
    for (auto& item : v.as_array())
      out.emplace_back(item.as_string());
    return out;
  };
  for (auto& [key, value] : fields) {
    if (key == "task_class") {
      if (auto k = parse_enum<task_class>(value.as_string(), task_class_names))
        t.klass = *k;
    } else if (key == "capability_tags") {
      t.capability_tags = list(value);
    } else if (key == "expected_touches") {
      t.expected_touches = list(value);
    } else if (key == "work_spec") {
      t.work_spec = value.as_object();
    }
  }
}

task_events decide(const task_aggregate& t, const lease_timer& c, const task_context& ctx) {
  if (!t.lease || t.lease->fencing != c.fencing || ctx.now < t.lease->expires_at)
    return std::vector<events::event>{};
  return std::vector<events::event>{
    events::lease_expired{t.id, t.project, t.lease->id, t.lease->fencing, t.lease->agent,
                          t.state}};
}

task_events decide(const task_aggregate& t, const reservation_timer& c, const task_context& ctx) {
  if (!t.reservation || t.reservation->id != c.reservation ||
      ctx.now < t.reservation->expires_at)
    return std::vector<events::event>{};
  return std::vector<events::event>{events::reservation_released{
    t.id, t.project, t.reservation->id, t.reservation->assignee, "expired"}};
}

namespace {

struct task_applier {
  task_aggregate& t;

  void operator()(const events::task_created& e) {
    t.exists = true;
    t.id = e.id;
    t.project = e.project;
    t.short_id = e.short_id;
    t.klass = e.klass;
    t.state = task_state::ready;
    t.work_spec = e.work_spec;
    t.capability_tags = e.capability_tags;
    t.expected_touches = e.expected_touches;
  }
  void operator()(const events::task_claimed& e) {
    t.state = ts::claimed;
    t.lease = lease_state{e.lease,      e.token,      e.agent,        e.fencing,
                          e.ttl_micros, e.expires_at, e.plan_version};
    t.fencing = std::max(t.fencing, e.fencing);
    if (e.reservation_consumed)
      t.reservation.reset();
    t.lost_by.erase(e.agent);
    t.invalidated_agents.erase(e.agent);
  }
  void operator()(const events::lease_renewed& e) {
    if (t.lease && t.lease->fencing == e.fencing)
      t.lease->expires_at = e.expires_at;
  }
  void operator()(const events::lease_expired& e) {
    if (t.lease && t.lease->fencing == e.fencing) {
      t.ended_tokens[t.lease->token] = lease_end::expired;
      t.lease.reset();
    }
    t.lost_by[e.agent] = lease_end::expired;
    t.state = ts::ready;
  }
  void operator()(const events::task_assigned& e) {
    t.state = ts::reserved;
    t.reservation = reservation_state{e.reservation, e.assignee, e.expires_at, e.plan_version};
  }
  void operator()(const events::reservation_released&) {
    t.reservation.reset();
    if (t.state == ts::reserved)
      t.state = ts::ready;
  }
  void operator()(const events::task_state_transitioned& e) {
    if (e.to == ts::implemented)
      t.implemented_by = t.lease ? t.lease->agent : e.actor;
    if (e.lease_released && t.lease) {
      t.ended_tokens[t.lease->token] = lease_end::released;
      t.lost_by[t.lease->agent] = lease_end::released;
      t.lease.reset();
    }
    if (e.reservation_released)
      t.reservation.reset();
    t.state = e.to;
  }
  void operator()(const events::artifact_recorded& e) {
    t.artifact_counter = std::max(t.artifact_counter, e.number);
  }
  void operator()(const events::integration_attempt_enqueued& e) {
    t.attempt_counter = std::max(t.attempt_counter, e.number);
    t.attempts.insert(e.id);
  }
  void operator()(const events::integration_result_recorded&) {}
  void operator()(const events::lease_invalidated& e) {
    task_aggregate::invalidation why{e.changeset, e.plan_version};
    if (t.lease && t.lease->fencing == e.fencing) {
      t.ended_tokens[t.lease->token] = lease_end::invalidated;
      t.invalidated_tokens[t.lease->token] = why;
      t.lease.reset();
    }
    t.lost_by[e.agent] = lease_end::invalidated;
    t.invalidated_agents[e.agent] = why;
    t.state = ts::ready;
  }
  void operator()(const events::reservation_invalidated&) {
    t.reservation.reset();
    if (t.state == ts::reserved)
      t.state = ts::ready;
  }
  void operator()(const events::scope_drift_detected&) {}
  // Project-stream events other than the task's creation do not concern a task.
  template <class Other>
  void operator()(const Other&) {}
};

}  // namespace

void apply(task_aggregate& t, const events::event& ev) {
  std::visit(task_applier{t}, ev);
  if (!std::holds_alternative<events::task_created>(ev))
    ++t.version;
}

}  // namespace tascade

#include "actors/registry.hpp"

#include "actors/plan_commands.hpp"
#include "events/codec/payload_codec.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <unordered_set>

namespace tascade {

namespace {

using actor_ptr = caf::stateful_actor<registry_state>*;

// An actor started while the registry stops (a command already on its way) stops at once.
void stop_if_stopping(actor_ptr self, const caf::actor& actor) {
  if (self->state.stopping)
    self->send_exit(actor, *self->state.stopping);
}

caf::actor spawn_project(actor_ptr self, const project_id& id) {
  auto actor = self->spawn(project_behavior, id, self->state.shared);
  self->monitor(actor);
  stop_if_stopping(self, actor);
  self->state.projects.emplace(id, actor);
  return actor;
}

// The actor of an existing project, started on first use; nullopt when there is none.
std::optional<caf::actor> find_project(actor_ptr self, std::string_view ref,
                                       const actor_deps& deps) {
  auto id = project_id::parse(ref);
  if (!id)
    return std::nullopt;
  if (auto it = self->state.projects.find(*id); it != self->state.projects.end())
    return it->second;
  auto head = deps.log->stream_head(project_stream(id->str()));
  if (!head || *head == 0)
    return std::nullopt;
  return spawn_project(self, *id);
}

// The actor of an existing task, started on first use; nullopt when there is none.
std::optional<caf::actor> find_task(actor_ptr self, const task_id& id, const actor_deps& deps) {
  if (auto it = self->state.tasks.find(id); it != self->state.tasks.end())
    return it->second.actor;
  if (!deps.known.locate(id))
    return std::nullopt;
  auto actor =
    self->spawn(task_behavior, id, self->state.shared, caf::actor_cast<caf::actor>(self));
  self->monitor(actor);
  stop_if_stopping(self, actor);
  self->state.tasks.emplace(id, task_entry{actor, 0});
  return actor;
}

// Counts a command about to be sent to the task's actor (just found by find_task).
void count_forward(actor_ptr self, const task_id& id) {
  if (auto it = self->state.tasks.find(id); it != self->state.tasks.end())
    ++it->second.forwarded;
}

// Leave for an idle task actor to stop: granted only if it has handled every command sent to
// it, and then it is forgotten at once, so the next command starts a fresh actor.
bool grant_passivation(actor_ptr self, const passivate_request& r) {
  auto it = self->state.tasks.find(r.task);
  if (it == self->state.tasks.end() || it->second.address() != self->current_sender() ||
      it->second.forwarded != r.handled)
    return false;
  self->demonitor(it->second.actor);  // its stop is expected; no down message to search for
  self->state.tasks.erase(it);
  return true;
}

caf::actor keyring_of(actor_ptr self, const actor_deps& deps) {
  if (!self->state.keyring) {
    self->state.keyring = self->spawn(keyring_behavior, deps);
    self->monitor(self->state.keyring);
    stop_if_stopping(self, self->state.keyring);
  }
  return self->state.keyring;
}

template <class Command>
auto forward_to_project(actor_ptr self, const actor_deps& deps) {
  return [self, deps](Command& c) -> caf::result<command_done> {
    auto actor = find_project(self, c.project, deps);
    if (!actor) {
      if constexpr (std::is_same_v<Command, add_dependency>) {
        // The reference reports edges into a missing project by their tasks, not the project.
        auto refused = decide(project_state{}, c, deps.known.locate, {deps.clock(), uuid::random});
        return refused ? make_error(errc::project_mismatch,
                                    "Dependency endpoints must belong to one project")
                       : std::move(refused.error());
      } else {
        return make_error(errc::project_not_found, "Project not found");
      }
    }
    self->delegate(*actor, std::move(c));
    return caf::delegated<command_done>{};
  };
}

// What a missing task answers: the rule itself, run on an empty task, so the checks that come
// before the lookup (PLAN_STALE) keep their order.
template <class Command>
caf::error missing_task(const Command& c, const actor_deps& deps) {
  task_context ctx;
  ctx.now = deps.clock();
  if (auto p = project_id::parse(c.project))
    ctx.plan_version = deps.known.plan_version(*p);
  auto refused = decide(task_aggregate{}, c, ctx);
  return refused ? make_error(errc::task_not_found, "Task not found") : std::move(refused.error());
}

template <class Command>
caf::result<command_done> forward_task_command(actor_ptr self, const actor_deps& deps,
                                               Command& c) {
  // Artifacts and integration attempts name their project first (spec §5.6).
  if constexpr (std::is_same_v<Command, record_artifact> ||
                std::is_same_v<Command, enqueue_attempt>) {
    if (!deps.known.project_exists(c.project))
      return make_error(errc::project_not_found, "Project not found");
  }
  auto id = task_id::parse(c.task);
  auto actor = id ? find_task(self, *id, deps) : std::nullopt;
  if (!actor)
    return missing_task(c, deps);
  count_forward(self, *id);
  self->delegate(*actor, std::move(c));
  return caf::delegated<command_done>{};
}

template <class Command>
auto forward_to_task(actor_ptr self, const actor_deps& deps) {
  return [self, deps](Command& c) { return forward_task_command(self, deps, c); };
}

// The tasks claim-next searches are asking their actors for right now, shared by every search:
// racing agents would otherwise all ask for the best task, and all but one would pay a round
// trip to learn it is taken. A search passes over a task another search is asking for and
// comes back to it only once nothing else is left.
class claims_asked {
 public:
  bool take(const task_id& id) {
    std::lock_guard lock(mutex_);
    return ids_.insert(id).second;
  }
  void release(const task_id& id) {
    std::lock_guard lock(mutex_);
    ids_.erase(id);
  }

 private:
  std::mutex mutex_;
  std::unordered_set<task_id> ids_;
};

// One claim-next's walk over the ready set: the current window of candidates, every task tried
// so far (refused because another agent took it or a claim of it is in flight), and how to
// fetch the next window.
struct claim_search {
  claim_next c;
  std::shared_ptr<claims_asked> asked;
  std::vector<task_id> window;
  size_t next = 0;
  std::unordered_set<task_id> tried;
  std::vector<task_id> passed_over;  ///< being asked for by another search when reached
  bool last_round = false;           ///< asking the passed-over tasks, whoever else asks
  std::function<std::vector<task_id>(const claim_next&, const std::unordered_set<task_id>&)> fetch;
  std::function<caf::error()> nothing_left;
};

// Tries the candidates one after the other until a claim succeeds; when a window is used up
// (other agents took its tasks), fetches the next one without the tasks already tried, so
// NOTHING_CLAIMABLE means no untried claimable task was left. Tasks another search was asking
// for are tried last. The first refusal that is not about the task itself (a stale plan, a
// bad request) ends the search.
void try_claims(caf::event_based_actor* self, caf::actor registry,
                std::shared_ptr<claim_search> s, caf::typed_response_promise<command_done> rp) {
  task_id task;
  bool took = false;
  for (;;) {
    if (s->next == s->window.size()) {
      s->window = s->fetch(s->c, s->tried);
      s->next = 0;
      if (s->window.empty() && !s->passed_over.empty()) {
        s->window = std::exchange(s->passed_over, {});
        s->last_round = true;
      }
    }
    if (s->window.empty()) {
      rp.deliver(s->nothing_left());
      return self->quit();
    }
    task = s->window[s->next++];
    s->tried.insert(task);
    took = s->asked->take(task);
    if (took || s->last_round)
      break;
    s->passed_over.push_back(task);
  }
  auto& c = s->c;
  claim_task attempt{c.meta,        c.project,     task.str(),     c.agent,
                     c.seen_plan_version, c.ttl_seconds, c.capabilities, c.allow_conflict};
  auto done_asking = [s, task, took] {
    if (took)
      s->asked->release(task);
  };
  self->request(registry, caf::infinite, std::move(attempt))
    .then(
      [=](command_done& done) mutable {
        done_asking();
        rp.deliver(std::move(done));
        self->quit();
      },
      [=](caf::error& err) mutable {
        done_asking();
        if (err == errc::plan_stale || err == errc::validation_failed) {
          rp.deliver(std::move(err));
          return self->quit();
        }
        try_claims(self, registry, s, rp);
      });
}

// After a changeset is durable: hands each changed task its new plan fields, one task after
// the other, and answers with the changeset's records followed by the tasks' (the invalidated
// leases and reservations).
void tell_tasks(caf::event_based_actor* self, caf::actor registry,
                std::shared_ptr<std::vector<plan_task_changed>> changes, size_t next,
                std::shared_ptr<command_done> done, caf::typed_response_promise<command_done> rp) {
  if (next == changes->size()) {
    rp.deliver(std::move(*done));
    return self->quit();
  }
  self->request(registry, caf::infinite, (*changes)[next])
    .then(
      [=](command_done& more) mutable {
        for (auto& r : more.records)
          done->records.push_back(std::move(r));
        tell_tasks(self, registry, changes, next + 1, done, rp);
      },
      [=](caf::error& err) mutable {
        // The plan advanced; the task keeps its claim until the change reaches it. Say so.
        spdlog::error("plan change of task {} not recorded: {}", (*changes)[next].task,
                      caf::to_string(err));
        rp.deliver(std::move(err));
        self->quit();
      });
}

// The per-task messages of an applied changeset: each changed task once, fields merged in
// operation order, material if any of its updates was.
std::vector<plan_task_changed> task_changes(const command_done& done, const command_meta& meta) {
  std::vector<plan_task_changed> out;
  for (auto& rec : done.records) {
    if (rec.type != events::changeset_applied::type)
      continue;
    auto ev = events::decode_payload(rec.type, rec.schema, rec.payload);
    if (!ev)
      continue;
    auto& e = std::get<events::changeset_applied>(*ev);
    for (auto& u : e.updates) {
      auto& update = u.as_object();
      auto task = std::string(update.at("task_id").as_string());
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const plan_task_changed& c) { return c.task == task; });
      if (it == out.end()) {
        out.push_back({meta, e.project.str(), task, e.changeset, e.version_number, {}, false});
        it = std::prev(out.end());
      }
      for (auto& [key, value] : update.at("fields").as_object())
        it->fields[key] = value;
    }
    for (auto& t : e.material)
      for (auto& c : out)
        if (c.task == t.str())
          c.material = true;
  }
  return out;
}

// Claim-next's next window of candidates, in the order claim_candidates gives (the agent's
// reservations first, then priority and age), leaving out the tasks already tried. Without
// allow_conflict, tasks whose expected touches overlap a task another agent holds are left out
// too (a claim of them would be refused). An empty window means the ready set is exhausted.
std::vector<task_id> next_candidates(const facts& known, const project_id& project,
                                     const claim_next& c,
                                     const std::unordered_set<task_id>& tried) {
  constexpr size_t window = 16;
  bool skip_conflicts = !c.allow_conflict && known.touch_conflicts;
  for (size_t limit = tried.size() + window;; limit *= 4) {
    auto ready = known.claim_candidates(project, c.agent, c.capabilities, limit);
    std::vector<task_id> out;
    for (auto& id : ready) {
      if (out.size() == window)
        break;
      if (tried.count(id) || (skip_conflicts && !known.touch_conflicts(id, c.agent).empty()))
        continue;
      out.push_back(id);
    }
    if (out.size() == window || ready.size() < limit)
      return out;
  }
}

// A claim of a task with expected touches: refused while an overlapping claim by another agent
// is in flight, else forwarded and remembered until its answer arrives.
caf::result<command_done> claim_guarding_touches(actor_ptr self, const actor_deps& deps,
                                                 claim_task& c) {
  auto id = task_id::parse(c.task);
  auto declared = id && !c.allow_conflict && deps.known.declared_touches
                    ? deps.known.declared_touches(*id)
                    : std::nullopt;
  if (!declared)
    return forward_task_command(self, deps, c);
  auto& [project, mine] = *declared;
  std::vector<held_touches> racing;
  for (auto& [other, claim] : self->state.claims_in_flight)
    if (claim.first == project)
      racing.push_back(claim.second);
  if (auto conflicts = touch_conflicts(*id, mine.touches, racing, c.agent); !conflicts.empty())
    return touch_conflict_error(conflicts);
  auto actor = find_task(self, *id, deps);
  if (!actor)
    return missing_task(c, deps);
  if (self->state.claims_in_flight.count(*id))  // the same task twice: its actor decides
    return forward_task_command(self, deps, c);
  mine.agent = c.agent;
  mine.state = task_state::claimed;
  self->state.claims_in_flight.emplace(*id, std::move(*declared));
  auto rp = self->make_response_promise<command_done>();
  count_forward(self, *id);
  self->request(*actor, caf::infinite, std::move(c))
    .then(
      [self, rp, task = *id](command_done& done) mutable {
        self->state.claims_in_flight.erase(task);
        rp.deliver(std::move(done));
      },
      [self, rp, task = *id](caf::error& err) mutable {
        self->state.claims_in_flight.erase(task);
        rp.deliver(std::move(err));
      });
  return rp;
}

}  // namespace

caf::behavior registry_behavior(actor_ptr self, actor_deps deps) {
  self->state.shared = std::make_shared<const actor_deps>(deps);
  // An actor that stopped is forgotten, so the next command starts a fresh one.
  self->set_down_handler([self](caf::down_msg& down) {
    if (down.reason && down.reason != caf::exit_reason::user_shutdown)
      spdlog::error("actor stopped: {}", caf::to_string(down.reason));
    auto forget = [&](auto& actors) {
      for (auto it = actors.begin(); it != actors.end(); ++it)
        if (it->second.address() == down.source) {
          actors.erase(it);
          return true;
        }
      return false;
    };
    if (!forget(self->state.tasks) && !forget(self->state.projects) &&
        self->state.keyring.address() == down.source)
      self->state.keyring = nullptr;
    if (self->state.stopping && self->state.tasks.empty() && self->state.projects.empty() &&
        !self->state.keyring)
      self->quit(*self->state.stopping);
  });
  // Stopping the registry stops every actor it started, so the system can shut down even
  // while timers wait for far-off deadlines. It quits only once they are all down: then no
  // actor is left that could still hand the log writer an append, and the writer can stop.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (self->state.stopping)
      return;
    self->state.stopping = msg.reason;
    for (auto& [id, actor] : self->state.projects)
      self->send_exit(actor, msg.reason);
    for (auto& [id, entry] : self->state.tasks)
      self->send_exit(entry.actor, msg.reason);
    if (self->state.keyring)
      self->send_exit(self->state.keyring, msg.reason);
    if (self->state.tasks.empty() && self->state.projects.empty() && !self->state.keyring)
      self->quit(msg.reason);
  });
  return {
    [self, deps](create_project& c) -> caf::result<command_done> {
      auto actor = spawn_project(self, project_id::random());
      self->delegate(actor, std::move(c));
      return caf::delegated<command_done>{};
    },
    forward_to_project<create_phase>(self, deps),
    forward_to_project<create_milestone>(self, deps),
    forward_to_project<create_task>(self, deps),
    forward_to_project<add_dependency>(self, deps),
    forward_to_project<record_unlocked>(self, deps),
    forward_to_project<create_gate_rule>(self, deps),
    forward_to_project<record_gate_decision>(self, deps),
    forward_to_project<evaluate_gate_policies>(self, deps),
    forward_to_project<create_changeset>(self, deps),
    forward_to_project<apply_plan>(self, deps),
    forward_to_task<plan_task_changed>(self, deps),
    [self, deps](apply_changeset& c) -> caf::result<command_done> {
      auto id = uuid::parse(c.changeset);
      auto project = id && deps.known.changeset_project ? deps.known.changeset_project(*id)
                                                        : std::nullopt;
      auto actor = project ? find_project(self, project->str(), deps) : std::nullopt;
      if (!actor)
        return make_error(errc::changeset_not_found, "Changeset not found");
      c.project = project->str();
      auto rp = self->make_response_promise<command_done>();
      self->spawn([registry = caf::actor_cast<caf::actor>(self), project = *actor,
                   c = std::move(c), rp](caf::event_based_actor* worker) mutable {
        worker->monitor(registry);
        worker->set_down_handler([worker, rp](caf::down_msg&) {
          auto promise = rp;
          promise.deliver(caf::make_error(caf::sec::request_receiver_down));
          worker->quit();
        });
        auto meta = c.meta;
        worker->request(project, caf::infinite, std::move(c))
          .then(
            [=](command_done& done) mutable {
              auto changes = std::make_shared<std::vector<plan_task_changed>>(
                task_changes(done, meta));
              tell_tasks(worker, registry, changes, 0,
                         std::make_shared<command_done>(std::move(done)), rp);
            },
            [=](caf::error& err) mutable {
              rp.deliver(std::move(err));
              worker->quit();
            });
      });
      return rp;
    },
    [self, deps](claim_task& c) { return claim_guarding_touches(self, deps, c); },
    forward_to_task<heartbeat_task>(self, deps),
    forward_to_task<assign_task>(self, deps),
    forward_to_task<unassign_task>(self, deps),
    forward_to_task<transition_task>(self, deps),
    forward_to_task<record_artifact>(self, deps),
    forward_to_task<enqueue_attempt>(self, deps),
    [self, deps](record_attempt_result& c) -> caf::result<command_done> {
      if (!deps.known.project_exists(c.project))
        return make_error(errc::project_not_found, "Project not found");
      auto attempt = uuid::parse(c.attempt);
      auto task = attempt ? deps.known.attempt_task(*attempt) : std::nullopt;
      auto actor = task ? find_task(self, *task, deps) : std::nullopt;
      if (!actor)
        return make_error(errc::integration_attempt_not_found, "Integration attempt not found");
      count_forward(self, *task);
      self->delegate(*actor, std::move(c));
      return caf::delegated<command_done>{};
    },
    // The facts are shared by pointer with the claim-next workers: one copy, not one per claim.
    [self, deps, known = std::make_shared<const facts>(deps.known),
     asked = std::make_shared<claims_asked>()](claim_next& c) -> caf::result<command_done> {
      auto project = project_id::parse(c.project);
      if (!project || !deps.known.project_exists(c.project))
        return make_error(errc::project_not_found, "Project not found");
      auto rp = self->make_response_promise<command_done>();
      auto why = deps.known.why_not_claimable;
      auto search = std::make_shared<claim_search>();
      search->fetch = [known, project = *project](
                        const claim_next& next, const std::unordered_set<task_id>& tried) {
        return next_candidates(*known, project, next, tried);
      };
      search->nothing_left = [why, project = *project, agent = c.agent] {
        return make_error(errc::nothing_claimable, "no task can be claimed by this agent now",
                          why ? why(project, agent) : boost::json::object{});
      };
      search->asked = asked;
      search->window = next_candidates(deps.known, *project, c, search->tried);
      search->c = std::move(c);
      self->spawn([registry = caf::actor_cast<caf::actor>(self), search,
                   rp](caf::event_based_actor* worker) mutable {
        // Stop trying when the registry stops (shutdown): its answers may never come.
        worker->monitor(registry);
        worker->set_down_handler([worker, rp](caf::down_msg&) {
          auto promise = rp;
          promise.deliver(caf::make_error(caf::sec::request_receiver_down));
          worker->quit();
        });
        try_claims(worker, registry, search, rp);
      });
      return rp;
    },
    [self, deps](const wake_task& w) { find_task(self, w.task, deps); },
    [self](const passivate_request& r) { return grant_passivation(self, r); },
    // Anonymous: the keyring answers nobody (its commit's reply would be unexpected here).
    [self, deps](record_denial& r) { caf::anon_send(keyring_of(self, deps), std::move(r)); },
    [self, deps](create_key& c) -> caf::result<command_done> {
      self->delegate(keyring_of(self, deps), std::move(c));
      return caf::delegated<command_done>{};
    },
    [self, deps](revoke_key& c) -> caf::result<command_done> {
      self->delegate(keyring_of(self, deps), std::move(c));
      return caf::delegated<command_done>{};
    },
  };
}

}  // namespace tascade

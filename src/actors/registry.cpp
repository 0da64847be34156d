#include "actors/registry.hpp"

#include "actors/changeset_fanout.hpp"
#include "actors/claim_search.hpp"
#include "actors/plan_commands.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <memory>
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
        apply_changeset_and_tell_tasks(worker, registry, project, std::move(c), rp);
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

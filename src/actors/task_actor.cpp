#include "actors/task_actor.hpp"

#include "actors/commit.hpp"
#include "actors/fold_stream.hpp"
#include "actors/passivation.hpp"
#include "actors/project_rules.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace tascade {

caf::expected<task_aggregate> rehydrate_task(const event_log& log, const facts& known,
                                             const task_id& id) {
  auto seq = known.creation(id);
  if (!seq)
    return make_error(errc::task_not_found, "Task not found");
  task_aggregate t;
  auto created = log.read(*seq);
  if (!created)
    return std::move(created.error());
  auto fold = [&t](const events::event& ev) { tascade::apply(t, ev); };
  if (auto ok = fold_record(*created, fold); !ok)
    return std::move(ok.error());
  if (auto ok = fold_stream(log, task_stream(id.str()), 0, fold); !ok)
    return std::move(ok.error());
  // Plan changes live on the project's stream; the projections hold their result.
  if (known.plan_fields)
    if (auto fields = known.plan_fields(id))
      apply_plan_fields(t, *fields);
  return t;
}

namespace {

using actor_ptr = caf::stateful_actor<task_actor_state>*;

caf::result<caf::message> drop_quietly(caf::scheduled_actor*, caf::message_view&) {
  return caf::message{};
}

// Keeps one timer armed for each deadline the task has. A timer armed for a moment no later
// than the deadline stays: when it fires early (a heartbeat extended the lease, the wall clock
// moved) it finds the deadline ahead and arms the next. Only a deadline earlier than the armed
// timer arms a new one, which supersedes it. So a heartbeat arms nothing: one pending timer per
// lease, not one per heartbeat until the lease's end.
void arm_timers(actor_ptr self, const actor_deps& deps) {
  auto& s = self->state;
  const auto& t = s.domain;
  auto arm = [&](armed_timer& armed, timestamp deadline, auto timer) {
    auto fires_at = deadline.micros + 1000;
    if (armed.pending && armed.fires_at <= fires_at)
      return;
    armed = {fires_at, ++s.timer_generation, true};
    timer.generation = armed.generation;
    auto wait = fires_at - deps.clock().micros;
    // Anonymous, so that what the timer's command returns is not mailed back to us.
    self->delayed_anon_send(self, std::chrono::microseconds(std::max<int64_t>(wait, 1000)),
                            timer);
  };
  if (t.lease)
    arm(s.lease_armed, t.lease->expires_at, lease_timer{t.lease->fencing, 0});
  if (t.reservation)
    arm(s.reservation_armed, t.reservation->expires_at,
        reservation_timer{t.reservation->id, 0});
}

task_context context_for(const task_aggregate& t, const actor_deps& deps, bool with_unmet) {
  task_context ctx;
  ctx.now = deps.clock();
  ctx.plan_version = deps.known.plan_version(t.project);
  if (with_unmet)
    ctx.unmet = deps.known.unmet(t.id);
  return ctx;
}

// `shared` is captured by the commit callbacks: one pointer, not a copy of every fact.
template <class Command>
caf::result<command_done> run(actor_ptr self, const shared_deps& shared,
                              const caf::actor& registry, const Command& c) {
  const auto& deps = *shared;
  if (self->state.broken)
    return self->state.broken;
  auto& t = self->state.domain;
  auto ctx = context_for(t, deps, std::is_same_v<Command, claim_task>);
  if constexpr (std::is_same_v<Command, claim_task>) {
    // Only other agents' held tasks conflict.
    if (deps.known.touch_conflicts && !t.expected_touches.empty())
      ctx.touch_conflicts = deps.known.touch_conflicts(t.id, c.agent);
  }
  if constexpr (std::is_same_v<Command, transition_task>) {
    if (deps.known.gate_approved && (t.klass == task_class::review_gate ||
                                     t.klass == task_class::merge_gate))
      ctx.gate_approved = deps.known.gate_approved(t.id);
  }
  auto meta = [&] {
    if constexpr (requires { c.meta; })
      return c.meta;
    else
      return command_meta{"system", ""};
  }();
  // The state this command leaves, known once it is decided; used when it is durable.
  auto before = t.state;
  auto after = std::make_shared<task_state>(before);
  auto result = commit(
    self, deps.log_writer, task_stream(t.id.str()), t, self->state.pipe, decide(t, c, ctx), meta,
    ctx.now,
    [self, shared, registry, before, after](
      std::vector<event_record>&, const std::vector<events::event>&) {
      const auto& deps = *shared;
      arm_timers(self, deps);
      // A prerequisite that reached its unlocking state: record which dependents it freed.
      auto& t = self->state.domain;
      if (*after != before &&
          (*after == task_state::implemented || *after == task_state::integrated)) {
        auto freed = deps.known.unlocked_dependents(t.id, before);
        if (!freed.empty())
          caf::anon_send(registry,
                         record_unlocked{{"system", ""}, t.project.str(), t.id, *after, freed});
      }
    },
    [self, shared] {
      const auto& deps = *shared;
      auto fresh = rehydrate_task(*deps.log, deps.known, self->state.domain.id);
      if (!fresh) {
        spdlog::error("task {} cannot be reloaded: {}", self->state.domain.id.str(),
                      message_of(fresh.error()));
        self->state.broken = fresh.error();
        return self->quit(std::move(fresh.error()));
      }
      self->state.domain = std::move(*fresh);
      arm_timers(self, deps);
    });
  *after = self->state.domain.state;
  return result;
}

template <class Timer>
void on_timer(actor_ptr self, const shared_deps& shared, const caf::actor& registry,
              const Timer& c) {
  const auto& deps = *shared;
  auto& armed = [&]() -> armed_timer& {
    if constexpr (std::is_same_v<Timer, lease_timer>)
      return self->state.lease_armed;
    else
      return self->state.reservation_armed;
  }();
  if (!armed.pending || c.generation != armed.generation || self->state.broken)
    return;  // superseded by a timer armed for an earlier moment
  armed.pending = false;
  const auto& t = self->state.domain;
  auto due = decide(t, c, context_for(t, deps, false));
  if (due && due->empty())
    return arm_timers(self, deps);  // early: the deadline is still ahead
  // If storing the expiry fails, this backup (same generation) tries again.
  armed = {deps.clock().micros + 1'000'000, c.generation, true};
  self->delayed_anon_send(self, std::chrono::seconds(1), c);
  run(self, shared, registry, c);
}

// Every command comes through the registry; counting them lets it tell whether one is on its
// way when the actor asks to stop.
void note_command(actor_ptr self, const actor_deps& deps) {
  ++self->state.handled;
  self->state.last_command = deps.clock();
}

template <class Command>
auto handler(actor_ptr self, const shared_deps& deps, const caf::actor& registry) {
  return [self, deps, registry](const Command& c) {
    note_command(self, *deps);
    return run(self, deps, registry, c);
  };
}

// Nothing a stopped actor would lose: no timer that matters, no append or reply pending.
bool has_nothing_to_guard(const task_actor_state& s) {
  return !s.domain.lease && !s.domain.reservation && s.pipe.sent == s.pipe.answered &&
         s.pipe.held.empty();
}

void arm_idle_check(actor_ptr self, std::chrono::microseconds after) {
  self->delayed_anon_send(self, after, idle_check{});
}

// Idle for the whole period with nothing to guard: ask the registry for leave to stop. Else
// look again when the period could have passed.
void on_idle_check(actor_ptr self, const shared_deps& shared, const caf::actor& registry) {
  const auto& deps = *shared;
  auto& s = self->state;
  if (s.broken || s.asking_leave)
    return;  // a broken actor is stopping anyway; an answer re-arms the check
  auto idle_for = std::chrono::microseconds(deps.clock().micros - s.last_command.micros);
  if (!has_nothing_to_guard(s) || idle_for < deps.idle_after) {
    auto rest = deps.idle_after - std::max(idle_for, std::chrono::microseconds{0});
    return arm_idle_check(self, has_nothing_to_guard(s) ? rest : deps.idle_after);
  }
  s.asking_leave = true;
  self->request(registry, caf::infinite, passivate_request{s.domain.id, s.handled})
    .then(
      [self, idle_after = deps.idle_after](bool granted) {
        self->state.asking_leave = false;
        if (granted && has_nothing_to_guard(self->state))
          return self->quit();
        if (granted)  // only a command that bypassed the registry can get here
          spdlog::error("task {} passivated while busy: it stays alive unregistered",
                        self->state.domain.id.str());
        arm_idle_check(self, idle_after);
      },
      [self, idle_after = deps.idle_after](caf::error&) {
        self->state.asking_leave = false;
        arm_idle_check(self, idle_after);
      });
}

}  // namespace

caf::behavior task_behavior(actor_ptr self, task_id id, shared_deps shared, caf::actor registry) {
  const auto& deps = *shared;
  // A stray message must never end the actor that keeps a lease's timer.
  // A stray message (such as the reply a timer's command produces) must never end the actor
  // that keeps a lease's timer; CAF's own `drop` would, for asynchronous messages.
  self->set_default_handler(drop_quietly);
  if (auto t = rehydrate_task(*deps.log, deps.known, id)) {
    self->state.domain = std::move(*t);
    arm_timers(self, deps);
    self->state.last_command = deps.clock();
    if (deps.idle_after.count() > 0)
      arm_idle_check(self, deps.idle_after);
    // A material plan change that never reached this claim or reservation (the server
    // stopped in between): record the invalidation now. A reservation that did not record its
    // plan version (made before issue 16) cannot be placed and is left alone.
    const auto& lease = self->state.domain.lease;
    const auto& reservation = self->state.domain.reservation;
    auto change = deps.known.material_change ? deps.known.material_change(id) : std::nullopt;
    if (change && ((lease && change->second > lease->plan_version) ||
                   (reservation && reservation->plan_version > 0 &&
                    change->second > reservation->plan_version)))
      caf::anon_send(self, plan_task_changed{{"system", ""}, self->state.domain.project.str(),
                                             id.str(), change->first, change->second, {}, true});
  } else {
    spdlog::error("task {} cannot be rehydrated: {}", id.str(), message_of(t.error()));
    self->state.broken = t.error();
    self->quit(std::move(t.error()));  // the registry forgets it; the next command retries
  }
  return {
    handler<claim_task>(self, shared, registry),
    handler<heartbeat_task>(self, shared, registry),
    handler<assign_task>(self, shared, registry),
    handler<unassign_task>(self, shared, registry),
    handler<transition_task>(self, shared, registry),
    handler<record_artifact>(self, shared, registry),
    handler<enqueue_attempt>(self, shared, registry),
    handler<record_attempt_result>(self, shared, registry),
    // A changeset changed this task's plan fields: take them, then end a claim if material.
    [self, shared, registry](const plan_task_changed& c) {
      note_command(self, *shared);
      if (!self->state.broken && self->state.domain.exists)
        apply_plan_fields(self->state.domain, c.fields);
      return run(self, shared, registry, c);
    },
    // Timers answer nobody: their outcome is an event, or nothing.
    [self, shared, registry](const lease_timer& c) { on_timer(self, shared, registry, c); },
    [self, shared, registry](const reservation_timer& c) { on_timer(self, shared, registry, c); },
    [self, shared, registry](const idle_check&) { on_idle_check(self, shared, registry); },
  };
}

}  // namespace tascade

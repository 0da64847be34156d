#pragma once
/// The task actor: one task's lifecycle. It rehydrates from the task's creation event and its
/// own stream, decides commands with the pure task rules, and keeps leases and reservations
/// honest with timers: each is armed for its deadline (re-armed after a restart), and a timer
/// that fires for a superseded lease or an extended deadline changes nothing.

#include "actors/actor_deps.hpp"
#include "actors/commit.hpp"
#include "actors/task_aggregate.hpp"
#include "actors/task_commands.hpp"

#include <caf/all.hpp>

namespace tascade {

/// The timer armed for one kind of deadline: when it fires, and which arming it belongs to.
struct armed_timer {
  int64_t fires_at = 0;  ///< UTC microseconds
  uint64_t generation = 0;
  bool pending = false;
};

struct task_actor_state {
  task_aggregate domain;  ///< durable plus in-flight events (commit.hpp)
  commit_pipeline pipe;
  uint64_t timer_generation = 0;  ///< of the newest timer armed, of either kind
  armed_timer lease_armed;
  armed_timer reservation_armed;
  caf::error broken;  ///< set when rehydration failed: every command gets it
  uint64_t handled = 0;      ///< commands received (all come through the registry)
  timestamp last_command{};  ///< when the newest one came, or when the actor started
  bool asking_leave = false;  ///< a passivate_request is awaiting the registry's answer
  static inline const char* name = "task_actor";
};

/// Handles claim, heartbeat, assign, unassign, transition, artifact and integration commands,
/// each answered with `command_done` (no records: nothing changed) or the rule's error.
/// `registry` receives `record_unlocked` when a transition makes dependents claimable, and
/// `passivate_request` when the actor has been idle for `deps.idle_after` (passivation.hpp).
caf::behavior task_behavior(caf::stateful_actor<task_actor_state>* self, task_id id,
                            shared_deps deps, caf::actor registry);

/// Rebuilds a task from its creation event and its stream. Errors: `errc::storage_failure`,
/// `errc::task_not_found` when the task was never created.
caf::expected<task_aggregate> rehydrate_task(const event_log& log, const facts& known,
                                             const task_id& id);

}  // namespace tascade

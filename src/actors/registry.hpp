#pragma once
/// The registry: finds or starts the actor that owns a command's aggregate and forwards the
/// command to it. Project and task actors start on demand and rehydrate from the log; idle task
/// actors stop with its leave (passivation.hpp).

#include "actors/keyring.hpp"
#include "actors/passivation.hpp"
#include "actors/project_actor.hpp"
#include "actors/task_actor.hpp"

#include <caf/all.hpp>

#include <optional>
#include <unordered_map>

namespace tascade {

/// A running task actor and the number of commands the registry has sent it: an idle actor
/// may stop only once it has handled all of them (passivation.hpp).
struct task_entry {
  caf::actor actor;
  uint64_t forwarded = 0;
  caf::actor_addr address() const { return actor.address(); }
};

struct registry_state {
  std::unordered_map<project_id, caf::actor> projects;
  std::unordered_map<task_id, task_entry> tasks;
  caf::actor keyring;
  shared_deps shared;  ///< handed to every task actor it starts
  /// Claims of tasks with expected touches that are on their way to the task actors. Their
  /// files count as held until the answer comes: the projections show a claim only once it is
  /// durable, so two overlapping claims racing each other would both pass the actors' check.
  std::unordered_map<task_id, std::pair<project_id, held_touches>> claims_in_flight;
  /// Set by the exit message: the registry stops its actors and quits once all are down, so
  /// whoever waits for the registry knows that nothing can send the log writer an append.
  std::optional<caf::error> stopping;
  static inline const char* name = "registry";
};

/// Accepts every command of `commands.hpp` and `task_commands.hpp`; replies as the owning actor
/// does, or with the reference's error when the named project or task does not exist.
caf::behavior registry_behavior(caf::stateful_actor<registry_state>* self, actor_deps deps);

}  // namespace tascade

#pragma once
/// What actors need from the rest of the system: the log writer to append, the log to
/// rehydrate from, a clock, and read-only facts about committed state (served by the
/// projections, which hold every acknowledged event before its command is answered).

#include "actors/project_rules.hpp"
#include "actors/task_rules.hpp"
#include "events/event_log.hpp"
#include "tascade/ids.hpp"
#include "tascade/time.hpp"

#include <caf/actor.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tascade {

/// Read-only facts about committed state.
struct facts {
  task_locator locate;
  /// The global sequence of a task's `task_created` event.
  std::function<std::optional<global_seq>(const task_id&)> creation;
  /// The prerequisites of a task that do not satisfy their edge yet.
  std::function<std::vector<unmet_dependency>(const task_id&)> unmet;
  /// Dependents that became claimable because `task` moved from `before` to its current state
  /// (only edges that state newly satisfies count).
  std::function<std::vector<task_id>(const task_id&, task_state before)> unlocked_dependents;
  std::function<int64_t(const project_id&)> plan_version;
  std::function<bool(const std::string& project)> project_exists;
  /// The task an integration attempt belongs to.
  std::function<std::optional<task_id>(const uuid& attempt)> attempt_task;
  /// Tasks `agent` could claim in `project` (its reservations first, then priority and age).
  std::function<std::vector<task_id>(const project_id&, const std::string& agent,
                                     const std::vector<std::string>& capabilities, size_t limit)>
    claim_candidates;
  /// Explains, per candidate, why `agent` can claim nothing in `project` (claim-next's answer).
  std::function<boost::json::object(const project_id&, const std::string& agent)>
    why_not_claimable;
};

struct actor_deps {
  caf::actor log_writer;
  event_log* log = nullptr;  ///< for rehydration and snapshots (reads, snapshot writes)
  facts known;
  clock_fn clock = system_now;
  uint64_t snapshot_every = 1000;  ///< events between snapshots of a project stream
};

}  // namespace tascade

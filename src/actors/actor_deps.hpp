#pragma once
/// What actors need from the rest of the system: the log writer to append, the log to
/// rehydrate from, a clock, and read-only facts about committed state (served by the
/// projections, which hold every acknowledged event before its command is answered).

#include "actors/gate_rules.hpp"
#include "actors/project_rules.hpp"
#include "actors/task_rules.hpp"
#include "actors/touch_conflicts.hpp"
#include "events/event_log.hpp"
#include "tascade/ids.hpp"
#include "tascade/time.hpp"

#include <caf/actor.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <memory>
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

  // Governance and plan evolution (issue 4).
  phase_locator locate_phase;
  /// The milestones of a project in sequence order with their tasks, for policy evaluation.
  std::function<std::vector<policy_milestone>(const project_id&)> policy_milestones;
  /// The project a changeset belongs to.
  std::function<std::optional<project_id>(const uuid& changeset)> changeset_project;
  /// Whether an approving gate decision (approved, approved_with_risk) names the task.
  std::function<bool(const task_id&)> gate_approved;
  /// The task's plan-owned fields as the projections hold them (after plan changes):
  /// `{task_class, capability_tags, work_spec, expected_touches}`.
  std::function<std::optional<boost::json::object>(const task_id&)> plan_fields;
  /// Tasks another agent holds (claimed or in progress) whose expected touches overlap the
  /// task's: `[{task_id, short_id, held_by, state, overlapping: [{mine, theirs}]}]`.
  std::function<boost::json::array(const task_id&, const std::string& agent)> touch_conflicts;
  /// The task's project and what it expects to touch (`agent` left empty); nullopt when the
  /// task is unknown or declares no expected touches.
  std::function<std::optional<std::pair<project_id, held_touches>>(const task_id&)>
    declared_touches;
  /// The last applied changeset that changed the task materially, and the plan version it made.
  std::function<std::optional<std::pair<uuid, int64_t>>(const task_id&)> material_change;
};

struct actor_deps {
  caf::actor log_writer;
  event_log* log = nullptr;  ///< for rehydration and snapshots (reads, snapshot writes)
  facts known;
  clock_fn clock = system_now;
  uint64_t snapshot_every = 1000;  ///< events between snapshots of a project stream
  /// How long a task actor with nothing to guard waits for a command before it stops
  /// (passivation.hpp); zero keeps task actors for good.
  std::chrono::microseconds idle_after{0};
};

/// What every actor of one kind shares: copying `actor_deps` copies every fact's function.
using shared_deps = std::shared_ptr<const actor_deps>;

}  // namespace tascade

#pragma once
/// One task's rules as pure functions: `decide` turns a command into task events or refuses it
/// with the spec's error (in the spec's order of checks); `apply` folds an event into the task.

#include "actors/task_aggregate.hpp"
#include "actors/governance_commands.hpp"
#include "actors/task_commands.hpp"
#include "events/events.hpp"

#include <caf/expected.hpp>

#include <boost/json/array.hpp>

#include <functional>
#include <vector>

namespace tascade {

/// A prerequisite that does not satisfy its edge yet.
struct unmet_dependency {
  task_id from;
  std::string short_id;
  task_state state = task_state::ready;
  unlock_on unlock = unlock_on::implemented;
};

/// Facts from outside the task, gathered by the actor before it decides.
struct task_context {
  timestamp now;
  std::function<uuid()> new_id = uuid::random;
  int64_t plan_version = 1;
  std::vector<unmet_dependency> unmet;  ///< claim only
  bool gate_approved = false;           ///< an approving gate decision exists for this task
  /// Claim only: held tasks of other agents whose expected touches overlap this task's.
  boost::json::array touch_conflicts;
};

using task_events = caf::expected<std::vector<events::event>>;

task_events decide(const task_aggregate& t, const claim_task& c, const task_context& ctx);
task_events decide(const task_aggregate& t, const heartbeat_task& c, const task_context& ctx);
task_events decide(const task_aggregate& t, const assign_task& c, const task_context& ctx);
task_events decide(const task_aggregate& t, const unassign_task& c, const task_context& ctx);
/// An empty list means "already in that state": success without an event.
task_events decide(const task_aggregate& t, const transition_task& c, const task_context& ctx);
task_events decide(const task_aggregate& t, const record_artifact& c, const task_context& ctx);
task_events decide(const task_aggregate& t, const enqueue_attempt& c, const task_context& ctx);
task_events decide(const task_aggregate& t, const record_attempt_result& c,
                   const task_context& ctx);
/// A plan change (issue 4): when material, ends a claim (`lease_invalidated`) or a reservation
/// (`reservation_invalidated`); otherwise, or in other states, nothing.
task_events decide(const task_aggregate& t, const plan_task_changed& c, const task_context& ctx);
/// Sets the plan-owned fields a changeset changed (task_class, capability_tags, work_spec,
/// expected_touches); other keys are ignored. Not a stream event: the changeset is the fact.
void apply_plan_fields(task_aggregate& t, const boost::json::object& fields);

/// Timers: an empty list when the timer is stale (superseded lease, later deadline).
task_events decide(const task_aggregate& t, const lease_timer& c, const task_context& ctx);
task_events decide(const task_aggregate& t, const reservation_timer& c, const task_context& ctx);

/// Whether `from → to` is allowed without force (spec §6.2).
bool transition_allowed(task_state from, task_state to);

/// Folds an event into the task: its `task_created` (from the project's stream) or one of its
/// own stream's events (which advance `version`).
void apply(task_aggregate& t, const events::event& ev);

}  // namespace tascade

#pragma once
/// Plan changesets as pure rules (spec §11; issue 4): what a changeset's operations change,
/// which changes are material, staleness and the next plan version. Used by the project actor
/// to apply a changeset and by the dry run that validates one.

#include "actors/governance_commands.hpp"
#include "actors/project_rules.hpp"
#include "events/events.hpp"
#include "tascade/time.hpp"

#include <caf/expected.hpp>

#include <boost/json/array.hpp>

#include <functional>
#include <optional>
#include <vector>

namespace tascade {

/// What a changeset's operations do: the field updates in operation order
/// (`{task_id, operation_index, fields}`), and the tasks changed materially (first-seen order).
struct plan_changes {
  boost::json::array updates;
  std::vector<task_id> material;
  boost::json::array skipped;  ///< `{operation_index, op, reason}` for operations without effect
  /// `create_task` operations (issue 17): `{operation_index, payload}`, made by apply.
  boost::json::array creates;
  /// `cancel_task` operations (issue 17): the tasks to cancel; each also has an update with
  /// the field `cancel: true`, which takes it to `cancelled` on its own stream.
  std::vector<task_id> cancels;
};

/// The plan-owned task fields an `update_task` may set, and whether each is material.
bool is_material_key(std::string_view key);

/// Normalises one operation of a request to `{op, task_id, payload}`; an error names the index.
caf::expected<boost::json::object> normalise_operation(const boost::json::value& op, size_t index);

/// Runs the operations against (besides update_task and reprioritize_task, the planner's
/// create_task {payload: task spec, milestone_id, key, depends_on (keys of tasks created by the
/// same changeset), depends_on_task_ids, dependent_task_ids} and cancel_task {task_id}) the tasks `in_project` knows (spec §11.3, restricted to the
/// changeset's project). Errors: CHANGESET_NOT_FOUND (the reference's REST code) when an
/// `update_task` names a task that is not in the project (details: operation_index, task_id);
/// VALIDATION_ERROR for a field of the wrong type or an unknown task_class.
caf::expected<plan_changes> compute_plan_changes(
  const boost::json::array& operations, const std::function<bool(const task_id&)>& in_project);

/// PLAN_STALE (retryable, details {current_plan_version, base_plan_version}) when `base` is not
/// the current version and rebasing is not allowed; "≠", so a base ahead is stale too.
std::optional<caf::error> stale_base(int64_t base, int64_t current, bool allow_rebase);

/// The version an applied changeset creates: max(target, current + 1).
int64_t next_plan_version(int64_t target, int64_t current);



caf::expected<std::vector<events::event>> decide(const project_state& s, const create_changeset& c,
                                                 const decide_context& ctx);
/// Errors in order: CHANGESET_NOT_FOUND, PLAN_STALE, then those of compute_plan_changes.
caf::expected<std::vector<events::event>> decide(const project_state& s, const apply_changeset& c,
                                                 const decide_context& ctx);

}  // namespace tascade

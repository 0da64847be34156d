#pragma once
/// Plans reaching a project (issue 17), as pure rules: applying a whole plan (phases,
/// milestones, tasks and dependencies as one changeset, atomically), and the task a changeset's
/// `create_task` operation makes (a rerun's proposal for an operation the contract gained).

#include "actors/plan_commands.hpp"
#include "actors/project_rules.hpp"
#include "events/events.hpp"

#include <caf/expected.hpp>

#include <boost/json/object.hpp>

#include <vector>

namespace tascade {

/// The events of applying `c` to the project, in one commit: `changeset_created` (one
/// informational `apply_plan` operation), per phase a `phase_created` and a `milestone_created`
/// (sequences after the project's highest), the `task_created` and `dependency_added` events,
/// `changeset_applied` (the next plan version) and `plan_applied`. Errors:
/// PROJECT_NOT_FOUND; PLAN_ALREADY_APPLIED when the plan was applied to this project already;
/// VALIDATION_ERROR naming the task or dependency that is malformed.
caf::expected<std::vector<events::event>> decide(const project_state& s, const apply_plan& c,
                                                 const decide_context& ctx);

/// A task from a plan's task spec (`{title, description, priority, task_class,
/// capability_tags, expected_touches, work_spec}`) in `milestone` of `s`, numbered after the
/// milestone's `already` tasks made earlier in the same decision. VALIDATION_ERROR names
/// `where` and the bad field.
caf::expected<events::task_created> planned_task(const project_state& s,
                                                 const boost::json::object& spec,
                                                 const milestone_id& milestone, int64_t already,
                                                 const uuid& id, const std::string& where);

}  // namespace tascade

#pragma once
/// Commands of the planner (issue 17). `create_plan`, `rerun_plan` and `record_callback` go to
/// the plan book (src/planner/plan_book.hpp), which runs the planner and owns the plans'
/// streams; `apply_plan` goes to the project, which creates the plan's phases, milestones,
/// tasks and dependencies as one changeset (plan_apply_rules.hpp).

#include "actors/commands.hpp"
#include "tascade/errc.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace tascade {

/// What a plan is made from: the PRD, the contract as text with its syntax ("json", "yaml",
/// "graphql"; empty text: synthesized from the PRD), and the request's options (recorded only).
struct plan_source {
  std::string prd_text;
  std::string contract_text;
  std::string contract_syntax;
  boost::json::object options;
};

struct create_plan {
  command_meta meta;
  std::string project_ref;  ///< the seed's free-text projectId
  std::string run_id;
  plan_source source;
};

/// A new plan from `source_plan`'s PRD and `after` (its contract, or a changed one). When the
/// source was applied to a project, `applied` is its `plan_applied` record (`{project_id,
/// tasks: [{node_id, task_id}], phases}`) and `source_nodes` its node ids in order: the rerun
/// then proposes the changeset the contract change calls for.
struct rerun_plan {
  command_meta meta;
  uuid source_plan;
  std::string project_ref;
  std::string run_id;
  plan_source before;
  plan_source after;
  boost::json::object applied;
  std::vector<std::string> source_nodes;
};

/// An executor callback (spec §1.9) for `node` of `plan`; `node_facts` are the node's title,
/// domain and contractOps, `contract_hash` the plan's.
struct record_callback {
  command_meta meta;
  uuid plan;
  uuid node;
  std::string status;
  boost::json::array artifacts_out;
  std::vector<std::string> citations;
  boost::json::object node_facts;
  std::string contract_hash;
};

/// Applies a plan to a project. `phases` are names in order; each of `tasks` is `{node_id,
/// title, description, phase, priority, task_class, capability_tags, expected_touches,
/// work_spec}`; `dependencies` are `{from, to}` indices into `tasks`.
struct apply_plan {
  command_meta meta;
  std::string project;
  uuid plan;
  std::vector<std::string> phases;
  boost::json::array tasks;
  boost::json::array dependencies;
};

/// PlanNotFound (404, "Plan <ref> not found", spec §1.4), with the §9.5 code in the details.
inline caf::error plan_not_found(const std::string& ref) {
  return make_error(errc::plan_not_found, "Plan " + ref + " not found",
                    {{"error", "PlanNotFound"}});
}

/// TaskNotFound (404, "Task not found", spec §1.9) for a node no plan holds.
inline caf::error plan_task_not_found() {
  return make_error(errc::task_not_found, "Task not found", {{"error", "TaskNotFound"}});
}

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::create_plan)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::rerun_plan)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::record_callback)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::apply_plan)

#pragma once
/// A plan in Tascade's terms, ready to be applied to a project (issue 17): one phase per stage of
/// the DAG, tasks with work spec, class, capability tags, expected touches (derived from the
/// contract's paths) and priority (from the DAG), the plan's edges as dependencies; and, for a
/// rerun, the changeset operations a contract change proposes.

#include "planner/contract_diff.hpp"
#include "planner/planner.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace tascade::planner {

struct project_task {
  std::string key;    ///< `node_key`: the task's identity across reruns
  std::string phase;  ///< Foundation, Data, Backend, Frontend, Verification or Release
  std::string title;
  std::string description;
  int64_t priority = 100;  ///< 100 + 10 × the number of tasks on the longest path after it
  std::string task_class;  ///< architecture, db_schema, backend, frontend or cross_cutting
  std::vector<std::string> capability_tags;   ///< the domain, lower case ("db", "be", …)
  std::vector<std::string> expected_touches;  ///< globs
  /// {objective, steps, acceptance_criteria, contract_ops, complexity{…}, token_budget,
  ///  model_class, plan{contract_hash, node_key, order}}
  boost::json::object work_spec;
};

struct project_dependency {
  size_t from = 0;  ///< index into `tasks`
  size_t to = 0;
};

struct project_plan {
  std::vector<std::string> phases;  ///< in DAG order, only those with tasks
  std::vector<project_task> tasks;  ///< in plan order
  std::vector<project_dependency> dependencies;  ///< the plan's edges, duplicates dropped
};

/// The project form of `r`.
project_plan to_project_plan(const plan_result& r);

/// The changeset a rerun proposes for a project that applied `before`: `create_task` for each
/// added node (payload: the task and the keys of its dependencies), `cancel_task` for each
/// cancelled one, and `update_task` with the new `work_spec`, `expected_touches` and
/// `capability_tags` (material fields, which end claims) for each materially changed one.
/// `task_ids[i]` is the project task id applied for node `i` of `before`.
boost::json::array rerun_operations(const plan_delta& delta, const plan_result& before,
                                    const plan_result& after,
                                    const std::vector<std::string>& task_ids);

}  // namespace tascade::planner

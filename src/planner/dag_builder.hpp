#pragma once
/// The node catalogue and its edges (spec §4): scaffold, one DB task per entity, BE tasks per
/// operation group, FE tasks when the PRD asks for a UI, the test task and the package task.

#include "planner/contract.hpp"
#include "planner/plan_graph.hpp"

namespace tascade::planner {

/// How BE tasks group operations: by first tag (the reference), by first path segment, or one
/// task per operation (the search's candidates, spec §5.3).
enum class be_grouping : uint8_t { by_tag, by_path_root, per_operation };

/// "by-tag", "by-path-root" or "per-operation".
std::string_view to_string(be_grouping g);

/// The operations whose DB-matching text contains `lower(entity_name)` (spec §4.2, quirk Q9).
std::vector<std::string> db_matching_ops(const contract& c, std::string_view entity_name);

/// Builds the DAG before budgeting: nodes in the order of spec §4.3, edges in that of §4.4.
/// `with_fe` adds the FE tasks when the contract has operations; `link_scaffold_roots` is the Q10
/// opt-in (scaffold → BE tasks, or → Test, when there are no entities).
plan_graph build_dag(const contract& c, bool with_fe, be_grouping grouping,
                     bool link_scaffold_roots = false);

}  // namespace tascade::planner

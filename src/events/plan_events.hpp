#pragma once
/// Events of the planner (issue 17). A plan is a stream of its own (`plan:<uuid>`): it starts
/// with `plan_created` (or `plan_rerun` when it was made by rerunning another plan) and collects
/// a `context_card_recorded` per executor callback. Applying a plan to a project is the
/// project's decision, so `plan_applied` lives on the project's stream, in the same commit as
/// the phases, milestones, tasks and dependencies it created.
///
/// A plan's content (nodes, edges, report, ingest parameters) is one JSON object, `plan`:
///
///   {"status", "contractHash", "contentHash", "reportRef", "report", "score", "tokenCost",
///    "coverage": {"missingOperations", "totalOperations"},
///    "params": {"headroomPct", "contractOperations", "ingest": {"prdText", "contractText",
///               "contractSyntax", "contractSource"}, "requestOptions"},
///    "nodes": [{"id", "key", "order", "title", "domain", "description", "dependencies",
///               "acceptanceCriteria", "contractOps", "contextBudgetTokens", "complexity",
///               "modelClass", "phase", "priority", "taskClass", "capabilityTags",
///               "expectedTouches", "workSpec"}],
///    "edges": [{"id", "from", "to", "description"}]}

#include "tascade/ids.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace tascade::events {

/// A plan was made from a PRD and a contract (spec §1.2).
struct plan_created {
  static constexpr std::string_view type = "plan_created";
  static constexpr uint16_t schema = 1;
  uuid id;
  std::string project_ref;  ///< the seed's free-text `projectId`
  std::string run_id;
  boost::json::object plan;
};

/// A plan was made by rerunning `source` (spec §1.8), possibly against a changed contract:
/// `diff` is the contract diff, `proposed` the changeset operations it proposes for the project
/// `source` was applied to (empty when it was not applied).
struct plan_rerun {
  static constexpr std::string_view type = "plan_rerun";
  static constexpr uint16_t schema = 1;
  uuid id;
  uuid source;
  std::string project_ref;
  std::string run_id;
  boost::json::object plan;
  boost::json::object diff;
  boost::json::array proposed;
};

/// An executor callback for one node (spec §1.9, §8.1): its card, and the artifacts appended
/// to the node's `artifactsOut`.
struct context_card_recorded {
  static constexpr std::string_view type = "context_card_recorded";
  static constexpr uint16_t schema = 1;
  uuid id;
  uuid plan;
  uuid node;
  std::string status;  ///< echoed, as the seed does
  boost::json::object card;  ///< {contractSliceRef, interfaces, schemaHashes, summary, citations}
  boost::json::array artifacts_out;
};

/// A plan was applied to a project: `tasks` pairs each node with the task made for it
/// (`[{node_id, task_id}]`), `phases` names each phase's ids (`{name: {phase_id,
/// milestone_id}}`). On the project's stream, after the changeset that created them.
struct plan_applied {
  static constexpr std::string_view type = "plan_applied";
  static constexpr uint16_t schema = 1;
  uuid plan;
  project_id project;
  uuid changeset;
  int64_t version_number = 2;
  boost::json::array tasks;
  boost::json::object phases;
};

}  // namespace tascade::events

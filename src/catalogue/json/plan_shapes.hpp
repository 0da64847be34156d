#pragma once
/// REST shapes of the planner (issue 17; spec §1.3 to §1.9): the PlanSummary, tasks.json, the
/// graph, the report, and the answer of apply. Field names are the seed's (camelCase).

#include "projections/read_model.hpp"

#include <caf/expected.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace tascade::catalogue {

/// The seed's time form: UTC, ISO-8601 without a zone, microseconds unless zero.
std::string seed_time(timestamp t);

/// The PlanSummary (spec §1.3), plus `applied` (null or {projectId, changesetId, planVersion})
/// and, for a rerun, `rerunOf`, `contractDiff` and `proposedChangesetId`.
boost::json::object plan_summary_json(const plan_view& p);
/// `tasks.json` (spec §1.5): nodes in order, without the project task fields.
boost::json::array plan_tasks_json(const plan_view& p);
/// `/graph` (spec §1.6).
boost::json::object plan_graph_json(const plan_view& p);
/// The stored report with its keys sorted at every level (spec §1.7); ReportNotFound (404,
/// "Report not generated") when the plan has none.
caf::expected<boost::json::value> plan_report_json(const plan_view& p);
/// The apply answer: `{planId, projectId, changesetId, planVersion, phases, tasks: [{nodeId,
/// taskId, shortId, title, state}]}`.
boost::json::object plan_applied_json(const read_model& m, const plan_view& p);

}  // namespace tascade::catalogue

#pragma once
/// The short account of a plan the CLI prints and the API returns beside it: task and edge
/// counts, coverage, the CCS distribution and the largest budgets.

#include "planner/planner.hpp"

#include <boost/json/object.hpp>

namespace tascade::planner {

/// {"tasks", "edges", "nodesByDomain", "coverage": {operations, missingOperations, entities,
/// missingEntities, percent}, "ccs": {min, mean, p90, max, bands}, "largestBudgets":
/// [{order, title, tokens}] (the `top` largest, ties by order), "tokensPlanned", "capacity",
/// "longestPath", "feGenerated", "variant", "contractFormat", "contractHash", "contentHash"}.
boost::json::object plan_summary(const plan_result& r, size_t top = 5);

/// The summary as a few lines of text for a terminal.
std::string plan_summary_text(const boost::json::object& summary);

}  // namespace tascade::planner

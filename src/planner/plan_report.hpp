#pragma once
/// The plan report (spec §9.1) and its canonical bytes, which are content-addressed.

#include "planner/planner.hpp"

#include <boost/json/object.hpp>

namespace tascade::planner {

/// The report object: summary (nodesByDomain, dag, coverage, runtimeMs, tokens, search), ccs
/// (mean, p90, confidenceMean, bands), window (headroomPct, compliant, violations) and
/// coverageDetail.
boost::json::object plan_report(const plan_result& r, std::string_view plan_id, long runtime_ms,
                                double headroom_pct);

/// The report's artifact bytes: `json.dumps(report, sort_keys=True)`.
std::string report_bytes(const boost::json::object& report);

/// Lowercase hex SHA-256 of `report_bytes(report)`: the artifact key `artifacts/<hash>.json`.
std::string report_hash(const boost::json::object& report);

}  // namespace tascade::planner

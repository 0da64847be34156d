// OpenAPI components of the metrics operations (issue 13), merged by openapi.cpp.

#include "catalogue/openapi_schemas.hpp"

#include <boost/json.hpp>

namespace tascade::catalogue {

namespace json = boost::json;

using namespace schemas;

json::object metrics_components() {
  json::object number{{"type", "number"}};
  json::object nullable_number{{"type", json::array{"number", "null"}}};
  auto versioned = [](json::object props) {
    props["version"] = str();
    props["project_id"] = str();
    return object_with(std::move(props));
  };
  auto alert = object_with({{"id", str()},
                            {"project_id", str()},
                            {"metric_key", str()},
                            {"alert_type", str()},
                            {"severity", str()},
                            {"value", number},
                            {"threshold", nullable_number},
                            {"context", object()},
                            {"created_at", str()},
                            {"acknowledged_at", nullable_str()},
                            {"resolved_at", nullable_str()},
                            {"status", str()}});
  auto milestone = object_with({{"milestone_id", str()},
                                {"name", str()},
                                {"short_id", str()},
                                {"health_score", nullable_number},
                                {"health_status", str()},
                                {"breach_probability", number},
                                {"task_summary", object_with({{"total", integer()},
                                                              {"completed", integer()},
                                                              {"remaining", integer()},
                                                              {"avg_cycle_time_hours", number}})},
                                {"forecast", {{"type", json::array{"object", "null"}}}}});
  return {
    {"MetricsSummary",
     versioned({{"timestamp", str()},
                {"metrics", {{"type", "object"},
                             {"description", "north_star, operational, actionability (empty "
                                             "when no summary exists for the timestamp)"}}}})},
    {"MetricsTrends",
     versioned({{"metric", str()},
                {"granularity", str()},
                {"start_date", str()},
                {"end_date", str()},
                {"data", array_of(object_with({{"timestamp", str()}, {"value", number}}))}})},
    {"MetricsBreakdown",
     versioned({{"metric", str()},
                {"dimension", str()},
                {"time_range", str()},
                {"total", number},
                {"breakdown", array_of(object_with({{"dimension_value", str()},
                                                    {"value", number},
                                                    {"percentage", number},
                                                    {"count", integer()}}))}})},
    {"MetricsDrilldown",
     versioned({{"metric", str()},
                {"filters_applied", object()},
                {"items", array_of(object_with({{"task_id", str()},
                                                {"task_title", str()},
                                                {"value", number},
                                                {"timestamp", str()},
                                                {"context", object()},
                                                {"contributing_factors", array_of(object())}}))},
                {"pagination", object_with({{"total", integer()},
                                            {"limit", integer()},
                                            {"offset", integer()},
                                            {"has_more", boolean()}})},
                {"aggregation", object_with({{"sum", number}, {"avg", number}, {"min", number},
                                             {"max", number}, {"p50", number}, {"p90", number},
                                             {"p95", number}})}})},
    {"MetricsAlert", alert},
    {"MetricsAlertList", list_of("MetricsAlert")},
    {"MetricsAlertAcknowledged", object_with({{"id", str()}, {"acknowledged_at", str()}})},
    {"MetricsThresholds", object_with({{"project_id", str()}, {"thresholds", object()}})},
    {"MetricsActions",
     versioned({{"suggestions", array_of(object_with({{"action_type", str()},
                                                      {"confidence", number},
                                                      {"affected_tasks", strings()},
                                                      {"rationale", str()},
                                                      {"evidence_refs", strings()}}))}})},
    {"MetricsHealth", versioned({{"milestones", array_of(milestone)}})},
  };
}

}  // namespace tascade::catalogue

#pragma once
/// Events of metric alerts (issue 13), on the one `metric_alerts` stream the alert desk owns.
/// Values and thresholds are on the ratio scale of METRICS-SPEC §9.1 (DPI 0.5, not 50).

#include "tascade/ids.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace tascade::events {

/// A metric crossed a threshold (spec §9.2): a new open alert.
struct alert_raised {
  static constexpr std::string_view type = "alert_raised";
  static constexpr uint16_t schema = 1;
  uuid id;
  project_id project;
  std::string metric_key;  ///< DPI, FES, IRS, lead_time_p90, blocked_ratio, ini_backlog
  std::string alert_type = "threshold";
  std::string severity;  ///< warning, critical, emergency
  double value = 0;
  std::optional<double> threshold;
  boost::json::object context;  ///< {direction, task_ids?}
};

/// The metric came back inside its thresholds (or moved to another severity): the alert closes.
struct alert_resolved {
  static constexpr std::string_view type = "alert_resolved";
  static constexpr uint16_t schema = 1;
  uuid id;
  project_id project;
  std::string metric_key;
  double value = 0;
};

/// A planner acknowledged the alert (again: the time is overwritten, spec §9.5).
struct alert_acknowledged {
  static constexpr std::string_view type = "alert_acknowledged";
  static constexpr uint16_t schema = 1;
  uuid id;
  project_id project;
  std::string by;
};

/// A planner replaced some of a project's thresholds: `thresholds` maps a metric key to
/// `{warning, critical, emergency}` (numbers); keys left out keep their values.
struct alert_thresholds_set {
  static constexpr std::string_view type = "alert_thresholds_set";
  static constexpr uint16_t schema = 1;
  project_id project;
  boost::json::object thresholds;
  std::string by;
};

}  // namespace tascade::events

#pragma once
/// The rules of metric alerts (METRICS-SPEC §9): thresholds, their evaluation, anomaly scores,
/// and the alert desk's decisions (raise, resolve, acknowledge, change thresholds). Pure
/// functions: the alert desk actor (alert_desk.hpp) calls them and logs what they decide.

#include "actors/commands.hpp"
#include "events/events.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tascade {

/// One metric's thresholds (spec §9.1). `below`: lower is worse (DPI, FES, IRS).
struct alert_threshold {
  bool below = true;
  double warning = 0, critical = 0, emergency = 0;
};
/// Metric key → thresholds.
using threshold_table = std::map<std::string, alert_threshold>;

/// The reference's table: DPI, FES, IRS (ratios, below), lead_time_p90 (hours), blocked_ratio,
/// ini_backlog (above).
const threshold_table& default_thresholds();

/// The outcome of comparing one value with its thresholds (spec §9.2).
struct threshold_hit {
  bool triggered = false;
  std::optional<std::string> severity;  ///< emergency, critical or warning
  std::optional<double> threshold;
};
/// Most severe level first, strict comparisons; nullopt for a key missing from `table`.
std::optional<threshold_hit> evaluate_threshold(const std::string& metric_key, double value,
                                                const threshold_table& table = default_thresholds());

/// The §9.3 anomaly score; nullopt with fewer than 2 history values or a zero stddev.
struct anomaly_score {
  bool triggered = false;
  double z_score = 0, mean = 0, stddev = 0;  ///< rounded to 4 decimals
};
std::optional<anomaly_score> evaluate_anomaly(const std::vector<double>& history, double current,
                                              double z_threshold = 2.0);

/// What the desk knows: per project, the open alert of each metric and the thresholds.
struct alert_desk_state {
  struct open_alert {
    uuid id;
    std::string severity;
  };
  struct project_alerts {
    std::map<std::string, open_alert> open;  ///< metric key → its open alert
    threshold_table table = default_thresholds();
  };
  std::unordered_map<project_id, project_alerts> projects;
  std::unordered_map<uuid, project_id, uuid_hash> alerts;  ///< every alert ever raised
  uint64_t version = 0;
};

/// Evaluate a project's current readings (ratio scale, spec §9.6), sent after each change.
struct evaluate_alerts {
  project_id project;
  std::vector<std::pair<std::string, double>> readings;
};

struct acknowledge_alert {
  command_meta meta;
  std::string alert;
  std::string project;  ///< the project the caller names
};

struct set_alert_thresholds {
  command_meta meta;
  std::string project;
  boost::json::object thresholds;  ///< metric key → {warning?, critical?, emergency?}
};

/// alert_raised for a newly crossed threshold, alert_resolved (+ alert_raised) when a metric
/// is back inside or changes severity; nothing when nothing changed. Ids from `next_id`.
std::vector<events::event> decide(const alert_desk_state& s, const evaluate_alerts& c,
                                  const std::function<uuid()>& next_id);
/// ALERT_NOT_FOUND (unknown or malformed id), PROJECT_SCOPE_VIOLATION (another project's).
caf::expected<std::vector<events::event>> decide(const alert_desk_state& s,
                                                 const acknowledge_alert& c);
/// PROJECT_NOT_FOUND, BAD_REQUEST (unknown metric or level, non-numbers, levels out of order).
caf::expected<std::vector<events::event>> decide(
  const alert_desk_state& s, const set_alert_thresholds& c,
  const std::function<bool(const project_id&)>& project_exists);
void apply(alert_desk_state& s, const events::event& ev);

/// The thresholds as JSON: metric key → {direction, warning, critical, emergency}.
boost::json::object thresholds_json(const threshold_table& table);

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::evaluate_alerts)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::acknowledge_alert)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::set_alert_thresholds)

#pragma once
/// The metrics projection (issue 13): per project, what METRICS-SPEC §4 summarises, kept up to
/// date per event so a query never scans the project's tasks. It lives inside the read model,
/// which feeds it after applying each event (so it reads the task's new state there), and is
/// saved in the read-model checkpoint and hashed into the digest with it.
///
/// Times come from the events' envelopes, never from a clock: replaying the log rebuilds the
/// same history, trend points and daily summaries included. Only a query supplies "now", for
/// the ages of what is still open.

#include "events/events.hpp"
#include "tascade/event_record.hpp"
#include "tascade/ids.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tascade {

class read_model;
namespace checkpoint_codec {
template <class T> struct field_list;
}

/// An ordered multiset of durations (microseconds) with running sums for mean and stddev.
/// Kept as ascending blocks of at most `block_size` values: an insert or removal moves one
/// block, and the k-th value is found by walking the block sizes (a few hundred steps for
/// 100 000 values), so a percentile never sorts and an insert never shifts the whole set.
struct duration_samples {
  static constexpr size_t block_size = 512;
  std::vector<std::vector<int64_t>> blocks;  ///< each ascending; blocks in ascending order
  uint64_t count = 0;
  double sum = 0;     ///< Σ seconds
  double sum_sq = 0;  ///< Σ seconds²

  void add(int64_t micros);
  void remove(int64_t micros);
  size_t size() const { return size_t(count); }
  /// The k-th smallest value (0-based, k < size()).
  int64_t nth(size_t k) const;
  /// Every value, ascending (for digests and tests).
  std::vector<int64_t> values() const;
  /// PERCENTILE_CONT in seconds; null when empty.
  std::optional<double> percentile(double p) const;
  std::optional<double> mean() const;
  std::optional<double> stddev() const;
};

/// What the projection keeps of one task.
struct metric_task {
  project_id project;
  milestone_id milestone;  ///< nil without one
  phase_id phase;          ///< nil without one
  task_class klass = task_class::other;
  int64_t priority = 100;
  task_state state = task_state::ready;
  int64_t created = 0;
  int64_t entered = 0;          ///< when it entered `state` (µs)
  int64_t wip_since = -1;       ///< when it entered the WIP group; -1 outside it
  int64_t progress_since = -1;  ///< its last entry into in_progress; -1 none
  int64_t cycle = -1;           ///< its last in_progress → implemented duration (µs); -1 none
  int64_t implemented_at = -1;  ///< its last entry into implemented
  int64_t integrated_at = -1;   ///< its entry into integrated while there; -1 otherwise
  int64_t first_failure = -1;   ///< end of its first failed attempt since its last success
  int64_t last_failure = -1;    ///< end of its latest failed attempt since its last success
  int64_t finished_attempts = 0;
  std::string agent;  ///< who claimed it last
};

/// A metric alert as the projection holds it (spec §9.4).
struct metric_alert {
  uuid id;
  project_id project;
  std::string metric_key;
  std::string alert_type;
  std::string severity;
  double value = 0;
  std::optional<double> threshold;
  boost::json::object context;
  int64_t created_at = 0;
  std::optional<int64_t> acknowledged_at;
  std::string acknowledged_by;
  std::optional<int64_t> resolved_at;
};

/// Per-milestone counts for health and forecasts (spec §11.3).
struct milestone_tally {
  int64_t total = 0;
  int64_t completed = 0;  ///< integrated, cancelled, abandoned
  double cycle_hours_sum = 0;  ///< over completed tasks with a cycle time
  double cycle_hours_sq = 0;
  int64_t cycle_n = 0;
};

/// The number of trend series, in `trend_keys` order.
inline constexpr size_t trend_count = 8;
inline constexpr std::array<std::string_view, trend_count> trend_keys{
  "delivery_predictability_index", "flow_efficiency_score", "integration_reliability_score",
  "throughput", "cycle_time", "wip", "blocked_ratio", "ini_backlog"};

struct project_metrics {
  int64_t origin = 0;     ///< project creation (µs): the origin of the sums of entry times
  int64_t last_event = 0; ///< time of the project's latest event
  int64_t tasks = 0;
  std::vector<int64_t> count = std::vector<int64_t>(task_state_names.size());
  /// Σ (entered − origin) in seconds over the tasks now in each state: open stays' durations.
  std::vector<double> entered_sum = std::vector<double>(task_state_names.size());
  /// Seconds spent in each state by stays that ended.
  std::vector<double> closed = std::vector<double>(task_state_names.size());
  duration_samples cycles;  ///< one per task: its last in_progress → implemented
  duration_samples leads;   ///< one per integrated task: created → integrated
  std::vector<int64_t> wip_since;  ///< ascending: WIP tasks' entries into WIP
  double wip_since_sum = 0;        ///< Σ (wip_since − origin) seconds
  std::vector<int64_t> integrated_at;  ///< ascending: integrated tasks' integration times
  std::map<milestone_id, int64_t> integrated_by_milestone;  ///< nil: tasks without a milestone
  int64_t blocks_resolved = 0;
  int64_t blocks_within_sla = 0;  ///< resolved within 48 h
  double blocked_resolution_sum = 0;  ///< seconds over resolved blocks
  int64_t attempts_started = 0;
  int64_t attempts_finished = 0;
  int64_t success = 0, success_first = 0, success_retry = 0, conflict = 0, failed_checks = 0;
  double recovery_sum = 0;  ///< seconds from a failure's end to the next success's end
  int64_t recovery_n = 0;
  double retry_sum = 0;  ///< seconds from the first failure's end to the success's end
  int64_t retry_n = 0;
  std::map<int64_t, int64_t> integrations_per_day;  ///< day start (µs) → tasks integrated
  /// Closed buckets only: hour start → trend values at the hour's last event. The bucket of
  /// the latest event is open; `trend_values` gives it.
  std::map<int64_t, std::vector<double>> hourly;
  std::map<int64_t, std::vector<double>> daily;  ///< closed days, likewise
  std::map<int64_t, std::string> daily_summaries;   ///< day end (µs) → summary JSON text
  std::map<milestone_id, milestone_tally> milestones;  ///< nil: tasks without a milestone
  std::vector<task_id> tasks_in_order;
  std::vector<uuid> alerts;  ///< raise order
  /// Planner-set thresholds: metric key → {warning, critical, emergency}.
  std::map<std::string, std::vector<double>> thresholds;
};

/// The numbers of a summary at one instant (the §4 fields before rendering).
struct metric_figures {
  std::optional<double> dpi, sr, cts, brr, fes, irs;
  double active_s = 0, wait_s = 0, blocked_s = 0;  ///< time in the FES state groups
  double success_rate = 0, avg_recovery_minutes = 0, avg_retry_minutes = 0;
  int64_t integrated_week = 0, integrated_total = 0;
  double p50 = 0, p90 = 0, p95 = 0;  ///< cycle time, minutes
  std::optional<double> lead_p90_hours;
  int64_t wip = 0;
  double wip_avg_age_hours = 0;
  int64_t lt_24h = 0, h24_72 = 0, h72_7d = 0, gt_7d = 0;
  int64_t blocked = 0;
  double blocked_ratio = 0, avg_blocked_hours = 0;
  int64_t backlog = 0;
  double backlog_avg_age_hours = 0;
};

class metrics_projection {
  template <class T> friend struct checkpoint_codec::field_list;

 public:
  /// Folds one event the read model has just applied (`model` shows its effect).
  void apply(const event_record& rec, const events::event& ev, const read_model& model);

  const project_metrics* project(const project_id& id) const;
  const metric_task* task(const task_id& id) const;
  const metric_alert* alert(const uuid& id) const;

  /// The figures of `id` as of `now` (µs); `now` before the latest event counts as it.
  metric_figures figures(const project_metrics& p, int64_t now) const;
  /// The `trend_keys` values as of `at` (the open bucket of a trend, or one being closed).
  std::vector<double> trend_values(const project_metrics& p, int64_t at) const;
  /// The §4.14 summary object as of `now`, plus the fields Tascade adds.
  boost::json::object summary(const project_metrics& p, int64_t now) const;
  /// The ratio-scale readings alerts compare (spec §9.6): only the metrics that have data.
  std::vector<std::pair<std::string, double>> readings(const project_metrics& p,
                                                       int64_t now) const;

  /// Adds one line per project's metrics to a digest.
  void digest(const std::function<void(const boost::json::value&)>& line) const;

 private:
  void on_task(const event_record& rec, const task_id& id, const read_model& model);
  void enter(project_metrics& p, metric_task& t, task_state to, int64_t at);
  void on_attempt_result(project_metrics& p, metric_task& t, const std::string& result,
                         int64_t at);
  /// Closes the hour and day buckets (trend points, the daily summary) that an event at
  /// `at` leaves behind: their values are the project's as of its previous event.
  void close_buckets(project_metrics& p, int64_t at);

  std::unordered_map<project_id, project_metrics> projects_;
  std::vector<project_id> projects_in_order_;
  std::unordered_map<task_id, metric_task> tasks_;
  std::unordered_map<uuid, metric_alert, uuid_hash> alerts_;
};

}  // namespace tascade

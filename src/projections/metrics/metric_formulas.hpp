#pragma once
/// The metric formulas of METRICS-SPEC §2–§3, §8, §10 and §11 as pure functions: no state, no
/// clock, no I/O. The metrics projection feeds them what it keeps per event; tests feed them the
/// spec's worked values. "null" in the spec is `std::nullopt` here.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tascade::metrics {

using maybe = std::optional<double>;

// ---- §2 numeric primitives --------------------------------------------------------------------

/// max(lo, min(hi, x)).
double clamp(double x, double lo = 0.0, double hi = 1.0);
/// a / b; when b = 0: 0.0 if a = 0, else null.
maybe ratio_or_null(double a, double b);
/// Arithmetic mean; null for an empty list.
maybe mean(const std::vector<double>& xs);
/// Population standard deviation; 0 for one element, null for none.
maybe stddev(const std::vector<double>& xs);
/// SQL PERCENTILE_CONT over an ascending list (rank 1 + (n - 1)·p, linear interpolation).
maybe percentile_sorted(const std::vector<double>& ascending, double p);
/// The same on an unsorted list (sorted on a copy).
maybe percentile_cont(std::vector<double> xs, double p);
/// Rounds to `digits` decimals, ties to even on the exact binary value.
double round_to(double x, int digits);

// ---- §3 library formulas ----------------------------------------------------------------------

/// NS-1 schedule reliability: share of milestones whose |actual − planned| ≤ 10 % of the planned
/// duration. Each item is (actual seconds, planned seconds, planned duration days).
maybe schedule_reliability(const std::vector<std::tuple<double, double, double>>& milestones);
/// NS-1 cycle-time stability from the mean and population stddev: 1 − sd/mean clamped; mean 0
/// gives 1; a null mean gives null.
maybe cycle_time_stability(maybe mean_value, maybe stddev_value);
/// The same over a list of cycle times.
maybe cycle_time_stability(const std::vector<double>& cycle_times);
/// NS-1 blocker resolution rate: share of block durations (seconds) ≤ 48 h.
maybe blocker_resolution_rate(const std::vector<double>& durations_seconds);
/// NS-1 DPI = 0.40·SR + 0.35·CTS + 0.25·BRR; null when a component is null.
maybe dpi(maybe sr, maybe cts, maybe brr);
/// NS-2 FES = active / (active + wait + blocked); null when the sum is 0.
maybe fes(double active, double wait, double blocked);
/// NS-3 IRS = 0.60·success rate + 0.40·recovery speed score. Outcomes count "success";
/// recovery score is clamp(1 − mean(recovery)/86 400), 1.0 without recovery times; null without
/// outcomes.
maybe irs(const std::vector<std::string>& outcomes, const std::vector<double>& recovery_seconds);
/// NS-3 from its two components (the reconciliation harness's form).
double irs_from(double success_rate, double recovery_speed_score);
/// NS-4 priority-label weight (P0 4, P1 2, P2 1, P3… 0.5, other P… 0.5, not P 1; missing P2).
double priority_weight(const std::optional<std::string>& label);
/// Integer priority → label band (≤ 25 P0, ≤ 50 P1, ≤ 100 P2, else P3).
std::string priority_band(int64_t priority);
/// NS-4 AVDR = Σ weights / window days; null when window ≤ 0.
maybe avdr(const std::vector<std::optional<std::string>>& labels, double window_days);
/// NS-5 HAAG = min of the non-null inputs; null when all are null.
maybe haag(maybe dpi_value, maybe fes_value, maybe irs_value, maybe quality_gate);
/// OP-4 library buckets: fresh < 3 d, aging < 7 d, stale ≤ 14 d, at_risk beyond.
std::map<std::string, int64_t> wip_library_buckets(const std::vector<double>& ages_seconds);
/// OP-4 age = max(now − entered, 0) in seconds (inputs in microseconds).
double wip_age_seconds(int64_t entered_micros, int64_t now_micros);
/// OP-5 age summary {avg, p90, max}; all null when empty.
struct age_summary {
  maybe avg, p90, max;
};
age_summary blocked_age_summary(const std::vector<double>& ages_seconds);
/// OP-6 conflict probability clamp(1 − (1 − base)^max(days, 0)).
double conflict_probability(double age_days, double base = 0.05);
/// OP-6 impact weight of a priority label (P0 1.0, P1 0.8, P2 0.5, else 0.3; missing P2).
double impact_weight(const std::optional<std::string>& label);
/// OP-9 outcome mix over (result, attempt number) with counts and ratios (spec §3.14; accepts
/// `failed_checks` as well as `check_failure`).
boost::json::object outcome_mix(const std::vector<std::pair<std::string, int64_t>>& attempts);
/// OP-12 {by_state, wip_count}.
boost::json::object state_distribution(const std::vector<std::pair<std::string, int64_t>>& counts);
/// ACT-2 {contributions, primary}: primary is the largest share when strictly above 0.40.
boost::json::object bottleneck(const std::vector<std::pair<std::string, double>>& stage_times);
/// ACT-6 trigger: review age strictly above 48 h.
bool review_reassignment_due(double review_age_hours);
/// ACT-6 reviewer score clamp(0.4·domain + 0.3·load + 0.3·latency).
double reviewer_score(double domain_match, double load_capacity, double latency_history);
/// ACT-7 {level, float_consumption, downstream_impact}.
boost::json::object dependency_risk(double delay_days, double downstream_impact,
                                    double available_float_days);

// ---- §8 golden reconciliation -----------------------------------------------------------------

/// Runs the harness over a fixture `{dataset_id, cases: [...]}`: the report of §8. Unknown
/// metric ids give an `error` member naming it.
boost::json::object reconcile(const boost::json::object& dataset, double tolerance = 1e-9);

// ---- §10 workflow actions ---------------------------------------------------------------------

/// One unacknowledged alert as the action rules read it.
struct alert_input {
  std::string metric_key;
  std::vector<std::string> task_ids;
  bool reviewer_load_skew = false;
};
/// The suggestions of §10.1 (escalate) and §10.2 (reroute reviewer) for the ratio-scale DPI
/// (Tascade compares DPI/100, §10.4), the INI backlog and the gate latency in minutes.
/// `summary_present` false → no suggestion.
boost::json::array workflow_actions(bool summary_present, double backlog, double dpi_ratio,
                                    double gate_latency_minutes,
                                    const std::vector<alert_input>& alerts);

// ---- §11 forecasts ----------------------------------------------------------------------------

/// Probability that `remaining` tasks of mean `avg` h and stddev `sd` h miss `deadline` hours.
double breach_probability(double remaining, double avg_hours, double deadline_hours,
                          double sd_hours);
/// Per-milestone health (§11.3): completion ratio, band and breach probability over 168 h.
struct milestone_health {
  maybe health_score;
  std::string status;
  double breach = 0.0;
  double avg_cycle_hours = 0.0;
};
/// `n` cycle times (hours) of completed tasks with mean `mean_hours` and population stddev
/// `sd_hours`: with none the mean is 24 h, with fewer than two the stddev is 0.3 × mean.
milestone_health health_of(int64_t total, int64_t completed, int64_t n, double mean_hours,
                           double sd_hours);
/// A Monte Carlo forecast of the days needed to finish `remaining` tasks, resampling the
/// observed daily throughput `daily` (one count per day) with a seeded generator. Null when
/// nothing was ever integrated.
struct forecast {
  double p50_days = 0, p85_days = 0, p95_days = 0;
  std::vector<double> sorted_days;  ///< every trial's days, ascending
  /// Share of trials done within `days`.
  double within(double days) const;
};
std::optional<forecast> monte_carlo(int64_t remaining, const std::vector<int64_t>& daily,
                                    uint64_t seed, int trials = 2000);

}  // namespace tascade::metrics

#include "projections/metrics/metric_formulas.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <tuple>

namespace tascade::metrics {

namespace json = boost::json;

double clamp(double x, double lo, double hi) { return std::max(lo, std::min(hi, x)); }

maybe ratio_or_null(double a, double b) {
  if (b == 0)
    return a == 0 ? maybe(0.0) : std::nullopt;
  return a / b;
}

maybe mean(const std::vector<double>& xs) {
  if (xs.empty())
    return std::nullopt;
  return std::accumulate(xs.begin(), xs.end(), 0.0) / double(xs.size());
}

maybe stddev(const std::vector<double>& xs) {
  auto m = mean(xs);
  if (!m)
    return std::nullopt;
  double sum = 0;
  for (auto x : xs)
    sum += (x - *m) * (x - *m);
  return std::sqrt(sum / double(xs.size()));
}

maybe percentile_sorted(const std::vector<double>& v, double p) {
  if (v.empty())
    return std::nullopt;
  if (p <= 0)
    return v.front();
  if (p >= 1)
    return v.back();
  double rank = 1 + double(v.size() - 1) * p;
  auto lo = size_t(std::floor(rank));
  auto hi = size_t(std::ceil(rank));
  double weight = rank - double(lo);
  return v[lo - 1] + (v[hi - 1] - v[lo - 1]) * weight;
}

maybe percentile_cont(std::vector<double> xs, double p) {
  std::sort(xs.begin(), xs.end());
  return percentile_sorted(xs, p);
}

double round_to(double x, int digits) {
  double scale = std::pow(10.0, digits);
  double r = std::nearbyint(x * scale) / scale;  // default rounding mode: ties to even
  return r == 0 ? 0.0 : r;                       // no "-0"
}

maybe schedule_reliability(const std::vector<std::tuple<double, double, double>>& milestones) {
  if (milestones.empty())
    return std::nullopt;
  int on_time = 0;
  for (auto& [actual, planned, days] : milestones)
    if (std::abs(actual - planned) <= days * 86400.0 * 0.10)
      ++on_time;
  return double(on_time) / double(milestones.size());
}

maybe cycle_time_stability(maybe mean_value, maybe stddev_value) {
  if (!mean_value)
    return std::nullopt;
  if (*mean_value == 0)
    return 1.0;
  return clamp(1.0 - stddev_value.value_or(0.0) / *mean_value);
}

maybe cycle_time_stability(const std::vector<double>& cycle_times) {
  return cycle_time_stability(mean(cycle_times), stddev(cycle_times));
}

maybe blocker_resolution_rate(const std::vector<double>& durations) {
  if (durations.empty())
    return std::nullopt;
  auto within = std::count_if(durations.begin(), durations.end(),
                              [](double d) { return d <= 48 * 3600.0; });
  return double(within) / double(durations.size());
}

maybe dpi(maybe sr, maybe cts, maybe brr) {
  if (!sr || !cts || !brr)
    return std::nullopt;
  return 0.40 * *sr + 0.35 * *cts + 0.25 * *brr;
}

maybe fes(double active, double wait, double blocked) {
  double total = active + wait + blocked;
  if (total == 0)
    return std::nullopt;
  return active / total;
}

maybe irs(const std::vector<std::string>& outcomes, const std::vector<double>& recovery) {
  if (outcomes.empty())
    return std::nullopt;
  double success =
    double(std::count(outcomes.begin(), outcomes.end(), "success")) / double(outcomes.size());
  double speed = recovery.empty() ? 1.0 : clamp(1.0 - *mean(recovery) / 86400.0);
  return irs_from(success, speed);
}

double irs_from(double success_rate, double recovery_speed_score) {
  return 0.60 * success_rate + 0.40 * recovery_speed_score;
}

double priority_weight(const std::optional<std::string>& label) {
  std::string l = label.value_or("P2");
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::toupper(c); });
  if (l == "P0")
    return 4.0;
  if (l == "P1")
    return 2.0;
  if (l == "P2")
    return 1.0;
  if (!l.empty() && l[0] == 'P')
    return 0.5;
  return 1.0;
}

std::string priority_band(int64_t priority) {
  if (priority <= 25)
    return "P0";
  if (priority <= 50)
    return "P1";
  if (priority <= 100)
    return "P2";
  return "P3";
}

maybe avdr(const std::vector<std::optional<std::string>>& labels, double window_days) {
  if (window_days <= 0)
    return std::nullopt;
  double sum = 0;
  for (auto& l : labels)
    sum += priority_weight(l);
  return sum / window_days;
}

maybe haag(maybe a, maybe b, maybe c, maybe d) {
  maybe out;
  for (auto v : {a, b, c, d})
    if (v && (!out || *v < *out))
      out = v;
  return out;
}

std::map<std::string, int64_t> wip_library_buckets(const std::vector<double>& ages) {
  std::map<std::string, int64_t> out{{"fresh", 0}, {"aging", 0}, {"stale", 0}, {"at_risk", 0}};
  for (auto age : ages) {
    if (age < 259200)
      ++out["fresh"];
    else if (age < 604800)
      ++out["aging"];
    else if (age <= 1209600)
      ++out["stale"];
    else
      ++out["at_risk"];
  }
  return out;
}

double wip_age_seconds(int64_t entered, int64_t now) {
  return std::max(double(now - entered) / 1e6, 0.0);
}

age_summary blocked_age_summary(const std::vector<double>& ages) {
  if (ages.empty())
    return {};
  return {mean(ages), percentile_cont(ages, 0.9), *std::max_element(ages.begin(), ages.end())};
}

double conflict_probability(double age_days, double base) {
  return clamp(1.0 - std::pow(1.0 - base, std::max(age_days, 0.0)));
}

double impact_weight(const std::optional<std::string>& label) {
  auto l = label.value_or("P2");
  if (l == "P0")
    return 1.0;
  if (l == "P1")
    return 0.8;
  if (l == "P2")
    return 0.5;
  return 0.3;
}

json::object outcome_mix(const std::vector<std::pair<std::string, int64_t>>& attempts) {
  int64_t first = 0, retry = 0, conflict = 0, checks = 0, abort = 0;
  for (auto& [result, number] : attempts) {
    if (result == "success")
      ++(number > 1 ? retry : first);
    else if (result == "conflict")
      ++conflict;
    else if (result == "check_failure" || result == "failed_checks")
      ++checks;
    else if (result == "aborted")
      ++abort;
  }
  auto total = double(attempts.size());
  auto ratio = [&](int64_t n) {
    auto r = ratio_or_null(double(n), total);
    return r ? json::value(*r) : json::value(nullptr);
  };
  return {{"success_first", first},
          {"success_retry", retry},
          {"failed_conflict", conflict},
          {"failed_checks", checks},
          {"failed_abort", abort},
          {"total", int64_t(attempts.size())},
          {"ratios",
           {{"ratio_success_first", ratio(first)},
            {"ratio_success_retry", ratio(retry)},
            {"ratio_failed_conflict", ratio(conflict)},
            {"ratio_failed_checks", ratio(checks)},
            {"ratio_failed_abort", ratio(abort)}}}};
}

json::object state_distribution(const std::vector<std::pair<std::string, int64_t>>& counts) {
  json::object by_state;
  int64_t wip = 0;
  for (auto& [state, n] : counts) {
    by_state[state] = n;
    if (state == "claimed" || state == "in_progress" || state == "blocked" ||
        state == "implemented" || state == "awaiting_review")
      wip += n;
  }
  return {{"by_state", by_state}, {"wip_count", wip}};
}

json::object bottleneck(const std::vector<std::pair<std::string, double>>& stages) {
  double total = 0;
  for (auto& s : stages)
    total += s.second;
  if (total <= 0)
    return {{"contributions", json::object{}}, {"primary", nullptr}};
  json::object shares;
  const std::pair<std::string, double>* best = nullptr;
  for (auto& s : stages) {
    shares[s.first] = s.second / total;
    if (!best || s.second > best->second)
      best = &s;
  }
  json::value primary = nullptr;
  if (best && best->second / total > 0.40)
    primary = json::string(best->first);
  return {{"contributions", shares}, {"primary", primary}};
}

bool review_reassignment_due(double hours) { return hours > 48; }

double reviewer_score(double domain, double load, double latency) {
  return clamp(0.4 * domain + 0.3 * load + 0.3 * latency);
}

json::object dependency_risk(double delay, double impact, double float_days) {
  delay = std::max(delay, 0.0);
  if (float_days <= 0)
    return {{"level", "unknown"}, {"float_consumption", nullptr}, {"downstream_impact", impact}};
  double consumption = delay / float_days;
  const char* level = consumption > 0.8 ? "high" : consumption > 0.5 ? "medium" : "low";
  return {{"level", level}, {"float_consumption", consumption}, {"downstream_impact", impact}};
}

// ---- §8 -----------------------------------------------------------------------------------------

json::object reconcile(const json::object& dataset, double tolerance) {
  struct row {
    std::string metric, id;
    const json::object* inputs;
    double expected;
  };
  std::vector<row> rows;
  for (auto& c : dataset.at("cases").as_array()) {
    auto& o = c.as_object();
    rows.push_back({std::string(o.at("metric").as_string()), std::string(o.at("case_id").as_string()),
                    &o.at("inputs").as_object(), o.at("expected_output").to_number<double>()});
  }
  std::sort(rows.begin(), rows.end(),
            [](const row& a, const row& b) { return std::tie(a.metric, a.id) < std::tie(b.metric, b.id); });
  json::array mismatches;
  for (auto& r : rows) {
    auto in = [&](const char* key) { return r.inputs->at(key).to_number<double>(); };
    double computed = 0;
    if (r.metric == "NS-1")
      computed = 0.40 * in("schedule_reliability") + 0.35 * in("cycle_time_stability") +
                 0.25 * in("blocker_resolution_rate");
    else if (r.metric == "NS-2")
      computed = fes(in("active_work_time"), in("wait_time"), in("blocked_time")).value_or(0.0);
    else if (r.metric == "NS-3")
      computed = irs_from(in("success_rate"), in("recovery_speed_score"));
    else
      return {{"error", "Unsupported metric for reconciliation: " + r.metric}};
    computed = round_to(clamp(computed), 6);
    double expected = round_to(r.expected, 6);
    double delta = round_to(computed - expected, 6);
    if (std::abs(delta) > tolerance)
      mismatches.push_back({{"case_id", r.id}, {"metric", r.metric}, {"expected_output", expected},
                            {"computed_output", computed}, {"delta", delta}});
  }
  return {{"status", mismatches.empty() ? "pass" : "fail"},
          {"total_cases", int64_t(rows.size())},
          {"mismatch_count", int64_t(mismatches.size())},
          {"tolerance", tolerance},
          {"mismatches", mismatches}};
}

// ---- §10 ----------------------------------------------------------------------------------------

namespace {

std::string fixed2(double x) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(2);
  s << x;
  return s.str();
}

// A number the way JSON shows it: integers without a decimal point.
std::string plain(double x) {
  if (x == std::floor(x) && std::abs(x) < 1e15)
    return std::to_string(int64_t(x));
  return json::serialize(json::value(x));
}

json::array affected(const std::vector<alert_input>& alerts,
                     std::initializer_list<std::string_view> keys) {
  json::array out;
  std::vector<std::string> seen;
  for (auto& a : alerts)
    if (std::find(keys.begin(), keys.end(), a.metric_key) != keys.end())
      for (auto& t : a.task_ids)
        if (std::find(seen.begin(), seen.end(), t) == seen.end()) {
          seen.push_back(t);
          out.push_back(json::string(t));
        }
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (auto& p : parts)
    out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

json::array workflow_actions(bool present, double backlog, double dpi_ratio, double latency,
                             const std::vector<alert_input>& alerts) {
  json::array out;
  if (!present)
    return out;
  std::vector<std::string> why, refs;
  if (backlog > 10) {
    why.push_back("INI backlog (" + plain(backlog) + ") exceeds threshold (10)");
    refs.push_back("metric:ini_backlog:" + plain(backlog));
  }
  if (dpi_ratio < 0.50) {
    why.push_back("DPI (" + fixed2(dpi_ratio) + ") is below threshold (0.5)");
    refs.push_back("metric:DPI:" + fixed2(dpi_ratio));
  }
  if (!why.empty()) {
    double confidence = std::min(1.0, 0.5 * double(why.size()));
    if (why.size() == 2)
      confidence = std::max(confidence, 0.7);
    out.push_back({{"action_type", "escalate"},
                   {"confidence", round_to(confidence, 2)},
                   {"affected_tasks", affected(alerts, {"ini_backlog", "DPI"})},
                   {"rationale", joined(why)},
                   {"evidence_refs", json::array(refs.begin(), refs.end())}});
  }
  why.clear();
  refs.clear();
  double confidence = 0;
  if (latency > 2880) {
    why.push_back("Gate queue latency (" + plain(latency) + "min) exceeds 48h SLA (2880min)");
    refs.push_back("metric:gate_latency:" + plain(latency) + "min");
    confidence += 0.6;
  }
  if (std::any_of(alerts.begin(), alerts.end(),
                  [](const alert_input& a) { return a.reviewer_load_skew; })) {
    why.push_back("Reviewer load skew detected in alerts");
    refs.push_back("alert:reviewer_load_skew");
    confidence += 0.4;
  }
  if (!why.empty())
    out.push_back({{"action_type", "reroute_reviewer"},
                   {"confidence", round_to(std::min(confidence, 1.0), 2)},
                   {"affected_tasks", affected(alerts, {"blocked_ratio", "gate_latency"})},
                   {"rationale", joined(why)},
                   {"evidence_refs", json::array(refs.begin(), refs.end())}});
  return out;
}

// ---- §11 ----------------------------------------------------------------------------------------

double breach_probability(double remaining, double avg, double deadline, double sd) {
  if (remaining <= 0)
    return 0.0;
  if (deadline <= 0)
    return 1.0;
  double expected = remaining * avg;
  if (sd <= 0)
    return expected > deadline ? 1.0 : 0.0;
  double total_sd = sd * std::sqrt(remaining);
  double z = (deadline - expected) / total_sd;
  double phi = 0.5 * (1 + std::erf(z / std::sqrt(2.0)));
  return clamp(1 - phi);
}

milestone_health health_of(int64_t total, int64_t completed, int64_t n, double mean_hours,
                           double sd_hours) {
  milestone_health h;
  int64_t remaining = total - completed;
  double avg = n > 0 ? mean_hours : 24.0;
  double sd = n >= 2 ? sd_hours : 0.3 * avg;
  if (total > 0) {
    double ratio = double(completed) / double(total);
    h.health_score = haag(ratio, ratio, ratio, ratio);
  }
  h.status = !h.health_score ? "red" : *h.health_score >= 0.70 ? "green"
                                     : *h.health_score >= 0.50 ? "yellow" : "red";
  h.breach = remaining <= 0 ? 0.0 : round_to(breach_probability(double(remaining), avg, 168.0, sd), 4);
  h.avg_cycle_hours = round_to(avg, 2);
  return h;
}

double forecast::within(double days) const {
  if (sorted_days.empty())
    return 0.0;
  auto n = std::upper_bound(sorted_days.begin(), sorted_days.end(), days) - sorted_days.begin();
  return double(n) / double(sorted_days.size());
}

std::optional<forecast> monte_carlo(int64_t remaining, const std::vector<int64_t>& daily,
                                    uint64_t seed, int trials) {
  if (daily.empty() || std::all_of(daily.begin(), daily.end(), [](int64_t n) { return n <= 0; }))
    return std::nullopt;
  forecast f;
  // mt19937_64's sequence is fixed by the standard; the modulo keeps the draw portable too.
  std::mt19937_64 rng{seed};
  f.sorted_days.reserve(size_t(trials));
  constexpr int horizon = 3650;  // ten years: beyond it a trial counts as not done
  for (int i = 0; i < trials; ++i) {
    int64_t done = 0;
    int day = 0;
    while (done < remaining && day < horizon) {
      done += daily[rng() % daily.size()];
      ++day;
    }
    f.sorted_days.push_back(double(day));
  }
  std::sort(f.sorted_days.begin(), f.sorted_days.end());
  f.p50_days = *percentile_sorted(f.sorted_days, 0.50);
  f.p85_days = *percentile_sorted(f.sorted_days, 0.85);
  f.p95_days = *percentile_sorted(f.sorted_days, 0.95);
  return f;
}

}  // namespace tascade::metrics

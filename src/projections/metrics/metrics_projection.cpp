#include "projections/metrics/metrics_projection.hpp"

#include "projections/metrics/metric_formulas.hpp"
#include "projections/read_model.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace tascade {

namespace json = boost::json;

namespace {

constexpr int64_t second = 1'000'000;
constexpr int64_t hour = 3600 * second;
constexpr int64_t day = 24 * hour;

int64_t floor_to(int64_t t, int64_t grain) {
  int64_t q = t / grain;
  if (t % grain < 0)
    --q;
  return q * grain;
}

size_t at(task_state s) { return size_t(s); }

bool in_wip(task_state s) {
  return s == task_state::claimed || s == task_state::in_progress || s == task_state::blocked ||
         s == task_state::implemented;
}
bool completed(task_state s) {
  return s == task_state::integrated || s == task_state::cancelled || s == task_state::abandoned;
}

void insert_sorted(std::vector<int64_t>& v, int64_t x) {
  v.insert(std::upper_bound(v.begin(), v.end(), x), x);
}
void erase_sorted(std::vector<int64_t>& v, int64_t x) {
  auto it = std::lower_bound(v.begin(), v.end(), x);
  if (it != v.end() && *it == x)
    v.erase(it);
}

double pct(double part, double total) { return total > 0 ? metrics::round_to(part / total * 100, 2) : 0.0; }

// The project an event belongs to (none for keyring events).
template <class E>
std::optional<project_id> project_of(const E& e) {
  if constexpr (std::is_same_v<E, events::project_created>)
    return e.id;
  else if constexpr (requires { { e.project } -> std::convertible_to<project_id>; })
    return project_id(e.project);
  else
    return std::nullopt;
}

// The task whose state or facts an event may change.
template <class E>
std::optional<task_id> task_of(const E& e) {
  if constexpr (std::is_same_v<E, events::task_created>)
    return e.id;
  else if constexpr (requires { { e.task } -> std::convertible_to<task_id>; })
    return task_id(e.task);
  else
    return std::nullopt;
}

}  // namespace

// ---- duration_samples -----------------------------------------------------------------------------

void duration_samples::add(int64_t micros) {
  // The first block whose last value is >= micros (or the last block) takes it.
  auto it = std::lower_bound(blocks.begin(), blocks.end(), micros,
                             [](const std::vector<int64_t>& b, int64_t x) { return b.back() < x; });
  if (it == blocks.end()) {
    if (blocks.empty() || blocks.back().size() >= block_size)
      blocks.emplace_back();
    it = std::prev(blocks.end());
  }
  insert_sorted(*it, micros);
  if (it->size() > 2 * block_size) {  // split a full block in two halves
    std::vector<int64_t> upper(it->begin() + std::ptrdiff_t(block_size), it->end());
    it->resize(block_size);
    blocks.insert(std::next(it), std::move(upper));
  }
  ++count;
  double s = double(micros) / 1e6;
  sum += s;
  sum_sq += s * s;
}

void duration_samples::remove(int64_t micros) {
  auto it = std::lower_bound(blocks.begin(), blocks.end(), micros,
                             [](const std::vector<int64_t>& b, int64_t x) { return b.back() < x; });
  if (it == blocks.end())
    return;
  auto pos = std::lower_bound(it->begin(), it->end(), micros);
  if (pos == it->end() || *pos != micros)
    return;
  it->erase(pos);
  if (it->empty())
    blocks.erase(it);
  --count;
  double s = double(micros) / 1e6;
  sum -= s;
  sum_sq -= s * s;
  if (count == 0)
    sum = sum_sq = 0;  // no drift survives an empty set
}

int64_t duration_samples::nth(size_t k) const {
  for (auto& b : blocks) {
    if (k < b.size())
      return b[k];
    k -= b.size();
  }
  return blocks.back().back();
}

std::vector<int64_t> duration_samples::values() const {
  std::vector<int64_t> out;
  out.reserve(size_t(count));
  for (auto& b : blocks)
    out.insert(out.end(), b.begin(), b.end());
  return out;
}

std::optional<double> duration_samples::percentile(double p) const {
  if (count == 0)
    return std::nullopt;
  if (p <= 0)
    return double(nth(0)) / 1e6;
  if (p >= 1)
    return double(nth(size() - 1)) / 1e6;
  double rank = 1 + double(count - 1) * p;
  auto lo = size_t(std::floor(rank)), hi = size_t(std::ceil(rank));
  double a = double(nth(lo - 1)) / 1e6, b = double(nth(hi - 1)) / 1e6;
  return a + (b - a) * (rank - double(lo));
}

std::optional<double> duration_samples::mean() const {
  if (count == 0)
    return std::nullopt;
  return sum / double(count);
}

std::optional<double> duration_samples::stddev() const {
  auto m = mean();
  if (!m)
    return std::nullopt;
  if (count == 1)
    return 0.0;
  double var = sum_sq / double(count) - *m * *m;
  // The running sums lose the last digits; relative noise below 1e-12 of the mean² is zero.
  if (var < 1e-12 * *m * *m)
    var = 0;
  return std::sqrt(var);
}

// ---- folding events ---------------------------------------------------------------------------

void metrics_projection::apply(const event_record& rec, const events::event& ev,
                               const read_model& model) {
  std::visit(
    [&](const auto& e) {
      using E = std::decay_t<decltype(e)>;
      auto pid = project_of(e);
      if (!pid)
        return;
      if constexpr (std::is_same_v<E, events::project_created>) {
        auto& p = projects_[e.id];
        p.origin = p.last_event = rec.time.micros;
        projects_in_order_.push_back(e.id);
      }
      auto it = projects_.find(*pid);
      if (it == projects_.end())
        return;
      auto& p = it->second;
      close_buckets(p, rec.time.micros);
      if constexpr (std::is_same_v<E, events::alert_raised>) {
        metric_alert a{e.id,      e.project, e.metric_key,         e.alert_type, e.severity,
                       e.value,   e.threshold, e.context, rec.time.micros, std::nullopt, "",
                       std::nullopt};
        alerts_[e.id] = std::move(a);
        p.alerts.push_back(e.id);
      } else if constexpr (std::is_same_v<E, events::alert_resolved>) {
        if (auto a = alerts_.find(e.id); a != alerts_.end())
          a->second.resolved_at = rec.time.micros;
      } else if constexpr (std::is_same_v<E, events::alert_acknowledged>) {
        if (auto a = alerts_.find(e.id); a != alerts_.end()) {
          a->second.acknowledged_at = rec.time.micros;
          a->second.acknowledged_by = e.by;
        }
      } else if constexpr (std::is_same_v<E, events::alert_thresholds_set>) {
        for (auto& [key, v] : e.thresholds) {
          if (!v.is_object())
            continue;
          auto& o = v.get_object();
          auto num = [&](const char* k) -> double {
            const json::value* x = o.if_contains(k);
            return x && x->is_number() ? x->template to_number<double>() : std::nan("");
          };
          p.thresholds[std::string(key)] = {num("warning"), num("critical"), num("emergency")};
        }
      } else if constexpr (std::is_same_v<E, events::integration_attempt_enqueued>) {
        ++p.attempts_started;
      } else if constexpr (std::is_same_v<E, events::integration_result_recorded>) {
        if (auto t = tasks_.find(e.task); t != tasks_.end())
          on_attempt_result(p, t->second, e.result, rec.time.micros);
      }
      if (auto tid = task_of(e))
        on_task(rec, *tid, model);
      if constexpr (std::is_same_v<E, events::tasks_unlocked>)
        for (auto& id : e.unlocked)
          on_task(rec, id, model);
      p.last_event = std::max(p.last_event, rec.time.micros);
    },
    ev);
}

void metrics_projection::on_task(const event_record& rec, const task_id& id,
                                 const read_model& model) {
  auto* view = model.task(id);
  if (!view)
    return;
  auto pit = projects_.find(view->project);
  if (pit == projects_.end())
    return;
  auto& p = pit->second;
  auto now = rec.time.micros;
  auto it = tasks_.find(id);
  if (it == tasks_.end()) {
    metric_task t;
    t.project = view->project;
    t.milestone = view->milestone;
    t.phase = view->phase;
    t.klass = view->klass;
    t.priority = view->priority;
    t.state = view->state;
    t.created = t.entered = now;
    ++p.tasks;
    ++p.count[at(t.state)];
    p.entered_sum[at(t.state)] += double(now - p.origin) / 1e6;
    ++p.milestones[t.milestone].total;
    p.tasks_in_order.push_back(id);
    it = tasks_.emplace(id, std::move(t)).first;
  }
  auto& t = it->second;
  t.klass = view->klass;  // plan changes may move these
  t.priority = view->priority;
  if (view->lease && view->lease->agent != t.agent)
    t.agent = view->lease->agent;
  if (view->state != t.state)
    enter(p, t, view->state, now);
}

void metrics_projection::enter(project_metrics& p, metric_task& t, task_state to, int64_t now) {
  auto from = t.state;
  double origin_s = double(p.origin) / 1e6;
  // Close the stay in `from`.
  --p.count[at(from)];
  p.entered_sum[at(from)] -= double(t.entered) / 1e6 - origin_s;
  p.closed[at(from)] += double(now - t.entered) / 1e6;
  if (from == task_state::blocked) {
    ++p.blocks_resolved;
    p.blocked_resolution_sum += double(now - t.entered) / 1e6;
    if (now - t.entered <= 48 * hour)
      ++p.blocks_within_sla;
  }
  if (from == task_state::integrated) {
    erase_sorted(p.integrated_at, t.integrated_at);
    if (auto it = p.integrated_by_milestone.find(t.milestone);
        it != p.integrated_by_milestone.end() && --it->second == 0)
      p.integrated_by_milestone.erase(it);
    p.leads.remove(t.integrated_at - t.created);
    t.integrated_at = -1;
  }
  auto& ms = p.milestones[t.milestone];
  if (completed(from) && !completed(to)) {
    --ms.completed;
    if (t.cycle >= 0) {
      double h = double(t.cycle) / double(hour);
      ms.cycle_hours_sum -= h;
      ms.cycle_hours_sq -= h * h;
      --ms.cycle_n;
    }
  }
  // Open the stay in `to`.
  t.state = to;
  t.entered = now;
  ++p.count[at(to)];
  p.entered_sum[at(to)] += double(now) / 1e6 - origin_s;
  if (in_wip(from) != in_wip(to)) {
    if (in_wip(to)) {
      t.wip_since = now;
      insert_sorted(p.wip_since, now);
      p.wip_since_sum += double(now - p.origin) / 1e6;
    } else {
      erase_sorted(p.wip_since, t.wip_since);
      p.wip_since_sum -= double(t.wip_since - p.origin) / 1e6;
      t.wip_since = -1;
    }
  }
  if (to == task_state::in_progress)
    t.progress_since = now;
  if (to == task_state::implemented) {
    t.implemented_at = now;
    if (t.progress_since >= 0) {
      if (t.cycle >= 0)
        p.cycles.remove(t.cycle);
      t.cycle = now - t.progress_since;
      p.cycles.add(t.cycle);
      t.progress_since = -1;
    }
  }
  if (to == task_state::integrated) {
    t.integrated_at = now;
    insert_sorted(p.integrated_at, now);
    ++p.integrated_by_milestone[t.milestone];
    ++p.integrations_per_day[floor_to(now, day)];
    p.leads.add(now - t.created);
  }
  if (!completed(from) && completed(to)) {
    ++ms.completed;
    if (t.cycle >= 0) {
      double h = double(t.cycle) / double(hour);
      ms.cycle_hours_sum += h;
      ms.cycle_hours_sq += h * h;
      ++ms.cycle_n;
    }
  }
}

void metrics_projection::on_attempt_result(project_metrics& p, metric_task& t,
                                           const std::string& result, int64_t now) {
  if (result != "success" && result != "conflict" && result != "failed_checks")
    return;
  ++p.attempts_finished;
  ++t.finished_attempts;
  if (result == "success") {
    ++p.success;
    ++(t.finished_attempts == 1 ? p.success_first : p.success_retry);
    if (t.last_failure >= 0) {
      p.recovery_sum += double(now - t.last_failure) / 1e6;
      ++p.recovery_n;
      p.retry_sum += double(now - t.first_failure) / 1e6;
      ++p.retry_n;
    }
    t.first_failure = t.last_failure = -1;
    return;
  }
  ++(result == "conflict" ? p.conflict : p.failed_checks);
  if (t.first_failure < 0)
    t.first_failure = now;
  t.last_failure = now;
}

std::vector<double> metrics_projection::trend_values(const project_metrics& p, int64_t at) const {
  auto f = figures(p, at);
  return {metrics::round_to(f.dpi.value_or(0) * 100, 2),
          metrics::round_to(f.fes.value_or(0) * 100, 2),
          metrics::round_to(f.irs.value_or(0) * 100, 2),
          double(f.integrated_week),
          f.p50,
          double(f.wip),
          f.blocked_ratio,
          double(f.backlog)};
}

void metrics_projection::close_buckets(project_metrics& p, int64_t at) {
  // Once per hour and project at most: the metrics of one instant cost a few microseconds, and
  // computing them per event would tax every rebuild.
  if (floor_to(at, hour) <= floor_to(p.last_event, hour))
    return;
  auto values = trend_values(p, p.last_event);
  p.hourly[floor_to(p.last_event, hour)] = values;
  if (floor_to(at, day) > floor_to(p.last_event, day)) {
    p.daily[floor_to(p.last_event, day)] = std::move(values);
    // The closed day's summary as it stood at its last instant.
    auto end = floor_to(p.last_event, day) + day - 1;
    p.daily_summaries[end] = json::serialize(summary(p, end));
  }
}

// ---- queries ------------------------------------------------------------------------------------

const project_metrics* metrics_projection::project(const project_id& id) const {
  auto it = projects_.find(id);
  return it == projects_.end() ? nullptr : &it->second;
}

const metric_task* metrics_projection::task(const task_id& id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

const metric_alert* metrics_projection::alert(const uuid& id) const {
  auto it = alerts_.find(id);
  return it == alerts_.end() ? nullptr : &it->second;
}

metric_figures metrics_projection::figures(const project_metrics& p, int64_t now) const {
  using namespace metrics;
  metric_figures f;
  now = std::max(now, p.last_event);
  double now_s = double(now - p.origin) / 1e6;
  auto in_state = [&](task_state s) {
    return p.closed[at(s)] + double(p.count[at(s)]) * now_s - p.entered_sum[at(s)];
  };
  auto n = [&](task_state s) { return p.count[at(s)]; };
  auto total = double(p.tasks);

  // DPI: the schedule proxy (milestones carry no dates), the stability of real cycle times, the
  // share of resolved blocks resolved within 48 h (the not-blocked share until one resolves).
  if (p.tasks > 0) {
    f.sr = double(n(task_state::integrated)) / total > 0.5 ? 0.8 : 0.5;
    f.brr = p.blocks_resolved > 0 ? double(p.blocks_within_sla) / double(p.blocks_resolved)
                                  : (total - double(n(task_state::blocked))) / total;
  }
  f.cts = cycle_time_stability(p.cycles.mean(), p.cycles.stddev());
  f.dpi = dpi(f.sr, f.cts, f.brr);

  // FES over time spent: active = claimed + in progress; waiting = backlog, ready, reserved and
  // implemented (awaiting integration); blocked.
  f.active_s = in_state(task_state::claimed) + in_state(task_state::in_progress);
  f.wait_s = in_state(task_state::backlog) + in_state(task_state::ready) +
             in_state(task_state::reserved) + in_state(task_state::implemented);
  f.blocked_s = in_state(task_state::blocked);
  f.fes = fes(f.active_s, f.wait_s, f.blocked_s);

  // IRS over finished attempts; recovery = a failure's end to the task's next success.
  if (p.attempts_finished > 0) {
    f.success_rate = double(p.success) / double(p.attempts_finished);
    double speed = p.recovery_n ? clamp(1.0 - p.recovery_sum / double(p.recovery_n) / 86400.0)
                                : 1.0;
    f.irs = irs_from(f.success_rate, speed);
    f.success_rate = round_to(f.success_rate, 4);
  }
  if (p.recovery_n)
    f.avg_recovery_minutes = round_to(p.recovery_sum / double(p.recovery_n) / 60, 2);
  if (p.retry_n)
    f.avg_retry_minutes = round_to(p.retry_sum / double(p.retry_n) / 60, 2);

  f.integrated_total = n(task_state::integrated);
  f.integrated_week = p.integrated_at.end() -
                      std::lower_bound(p.integrated_at.begin(), p.integrated_at.end(),
                                       now - 7 * day);
  auto minutes = [&](double q) {
    auto v = p.cycles.percentile(q);
    return v ? round_to(*v / 60, 2) : 0.0;
  };
  f.p50 = minutes(0.50);
  f.p90 = minutes(0.90);
  f.p95 = minutes(0.95);
  if (auto lead = p.leads.percentile(0.90))
    f.lead_p90_hours = *lead / 3600;

  f.wip = int64_t(p.wip_since.size());
  if (f.wip > 0) {
    double mean_entry = p.wip_since_sum / double(f.wip);
    f.wip_avg_age_hours = round_to(std::max(now_s - mean_entry, 0.0) / 3600, 2);
    auto older_than = [&](int64_t age) {  // entries at least `age` ago
      return std::upper_bound(p.wip_since.begin(), p.wip_since.end(), now - age) -
             p.wip_since.begin();
    };
    int64_t ge_24h = older_than(day), ge_72h = older_than(3 * day), ge_7d = older_than(7 * day);
    f.lt_24h = f.wip - ge_24h;
    f.h24_72 = ge_24h - ge_72h;
    f.h72_7d = ge_72h - ge_7d;
    f.gt_7d = ge_7d;
  }
  f.blocked = n(task_state::blocked);
  f.blocked_ratio = ratio_or_null(double(f.blocked), double(f.wip)).value_or(0.0);
  if (f.blocked > 0)  // the open stays only: how long the blocked tasks have waited so far
    f.avg_blocked_hours = round_to(
      (in_state(task_state::blocked) - p.closed[at(task_state::blocked)]) / double(f.blocked) / 3600,
      2);
  f.backlog = n(task_state::implemented);
  if (f.backlog > 0)
    f.backlog_avg_age_hours =
      round_to((in_state(task_state::implemented) - p.closed[at(task_state::implemented)]) /
                 double(f.backlog) / 3600,
               2);
  return f;
}

json::object metrics_projection::summary(const project_metrics& p, int64_t now) const {
  using namespace metrics;
  now = std::max(now, p.last_event);
  auto f = figures(p, now);
  double dpi_value = round_to(f.dpi.value_or(0) * 100, 2);
  // Trend: today's DPI against the last daily point of an earlier day.
  std::string trend = "stable";
  double change = 0;
  auto today = p.daily.lower_bound(floor_to(now, day));
  if (today != p.daily.begin()) {
    double before = std::prev(today)->second[0];
    if (before > 0) {
      change = round_to((dpi_value - before) / before * 100, 2);
      trend = change > 0.5 ? "up" : change < -0.5 ? "down" : "stable";
    }
  }
  double time_total = f.active_s + f.wait_s + f.blocked_s;
  json::object by_milestone;
  for (auto& [m, c] : p.integrated_by_milestone)
    by_milestone[m.value.is_nil() ? "unassigned" : m.str()] = c;
  std::vector<std::pair<std::string, int64_t>> counts;
  for (size_t s = 0; s < task_state_names.size(); ++s)
    if (p.count[s] > 0)
      counts.emplace_back(task_state_names[s], p.count[s]);
  double now_s = double(now - p.origin) / 1e6;
  auto in_state = [&](task_state s) {
    return p.closed[at(s)] + double(p.count[at(s)]) * now_s - p.entered_sum[at(s)];
  };
  auto stage = [&](std::initializer_list<task_state> states) {
    double sum = 0;
    for (auto s : states)
      sum += in_state(s);
    return sum;
  };
  auto lead_hours = [&](double q) {
    auto v = p.leads.percentile(q);
    return v ? json::value(round_to(*v / 3600, 2)) : json::value(nullptr);
  };
  auto component = [](const std::optional<double>& v) {
    return v ? json::value(round_to(*v, 6)) : json::value(nullptr);
  };
  return {
    {"north_star",
     {{"delivery_predictability_index",
       {{"value", dpi_value},
        {"trend", trend},
        {"change_pct", change},
        {"components",
         {{"schedule_reliability", component(f.sr)},
          {"cycle_time_stability", component(f.cts)},
          {"blocker_resolution_rate", component(f.brr)}}}}},
      {"flow_efficiency_score",
       {{"value", round_to(f.fes.value_or(0) * 100, 2)},
        {"active_time_pct", pct(f.active_s, time_total)},
        {"waiting_time_pct", pct(f.wait_s, time_total)},
        {"blocked_time_pct", pct(f.blocked_s, time_total)}}},
      {"integration_reliability_score",
       {{"value", round_to(f.irs.value_or(0) * 100, 2)},
        {"success_rate", f.success_rate},
        {"avg_recovery_minutes", f.avg_recovery_minutes}}}}},
    {"operational",
     {{"throughput",
       {{"tasks_integrated_week", f.integrated_week},
        {"tasks_integrated_total", f.integrated_total},
        {"tasks_by_milestone", by_milestone}}},
      {"cycle_time",
       {{"p50_minutes", f.p50},
        {"p90_minutes", f.p90},
        {"p95_minutes", f.p95},
        {"sample_size", int64_t(p.cycles.size())}}},
      {"lead_time", {{"p50_hours", lead_hours(0.5)}, {"p90_hours", lead_hours(0.9)}}},
      {"wip",
       {{"total_count", f.wip},
        {"avg_age_hours", f.wip_avg_age_hours},
        {"aging_buckets",
         {{"lt_24h", f.lt_24h}, {"24h_to_72h", f.h24_72}, {"72h_to_7d", f.h72_7d},
          {"gt_7d", f.gt_7d}}}}},
      {"blocked",
       {{"ratio", f.blocked_ratio},
        {"avg_blocked_hours", f.avg_blocked_hours},
        {"count", f.blocked}}},
      {"backlog",
       {{"implemented_not_integrated", f.backlog}, {"avg_age_hours", f.backlog_avg_age_hours}}},
      {"gates", {{"queue_length", 0}, {"avg_latency_minutes", 0}, {"sla_breach_rate", 0}}},
      {"integration_outcomes",
       {{"success", p.success},
        {"conflict", p.conflict},
        {"failed_checks", p.failed_checks},
        {"queued", p.attempts_started - p.attempts_finished},
        {"success_first", p.success_first},
        {"success_retry", p.success_retry},
        {"avg_retry_to_success_minutes", f.avg_retry_minutes}}},
      {"state_distribution", state_distribution(counts)}}},
    {"actionability",
     {{"bottleneck_contribution",
       bottleneck({{"queue", stage({task_state::backlog, task_state::ready, task_state::reserved})},
                   {"development", stage({task_state::claimed, task_state::in_progress})},
                   {"blocked", stage({task_state::blocked})},
                   {"integration", stage({task_state::implemented, task_state::conflict})}})},
      {"suggested_actions", json::array{}}}}};
}

std::vector<std::pair<std::string, double>> metrics_projection::readings(
  const project_metrics& p, int64_t now) const {
  auto f = figures(p, now);
  std::vector<std::pair<std::string, double>> out;
  if (f.dpi)
    out.emplace_back("DPI", *f.dpi);
  // Flow efficiency needs some elapsed task time first: a project whose first task was just
  // claimed has spent all its time waiting so far, which says nothing yet.
  if (f.fes && f.active_s + f.wait_s + f.blocked_s >= 3600)
    out.emplace_back("FES", *f.fes);
  if (f.irs)
    out.emplace_back("IRS", *f.irs);
  if (f.lead_p90_hours)
    out.emplace_back("lead_time_p90", *f.lead_p90_hours);
  if (f.wip > 0)
    out.emplace_back("blocked_ratio", f.blocked_ratio);
  out.emplace_back("ini_backlog", double(f.backlog));
  return out;
}

void metrics_projection::digest(const std::function<void(const json::value&)>& line) const {
  auto doubles = [](const std::vector<double>& v) { return json::array(v.begin(), v.end()); };
  auto ints = [](const std::vector<int64_t>& v) { return json::array(v.begin(), v.end()); };
  for (auto& id : projects_in_order_) {
    const auto& p = projects_.at(id);
    line({{"metrics", id.str()},
          {"tasks", p.tasks},
          {"count", ints(p.count)},
          {"entered_sum", doubles(p.entered_sum)},
          {"closed", doubles(p.closed)},
          {"cycles", ints(p.cycles.values())},
          {"leads", ints(p.leads.values())},
          {"wip_since", ints(p.wip_since)},
          {"integrated_at", ints(p.integrated_at)},
          {"blocks", {p.blocks_resolved, p.blocks_within_sla}},
          {"attempts",
           {p.attempts_started, p.attempts_finished, p.success, p.success_first, p.success_retry,
            p.conflict, p.failed_checks, p.recovery_n, p.retry_n}},
          {"recovery", {p.recovery_sum, p.retry_sum}}});
    for (auto& [bucket, values] : p.hourly)
      line({{"hour", bucket}, {"values", doubles(values)}});
    for (auto& [bucket, values] : p.daily)
      line({{"day", bucket}, {"values", doubles(values)}});
    for (auto& [end, text] : p.daily_summaries)
      line({{"daily_summary", end}, {"text", text}});
    for (auto& a : p.alerts) {
      const auto& al = alerts_.at(a);
      line({{"alert", al.id.str()}, {"metric", al.metric_key}, {"severity", al.severity},
            {"value", al.value}, {"created_at", al.created_at},
            {"acknowledged_at", al.acknowledged_at ? *al.acknowledged_at : -1},
            {"resolved_at", al.resolved_at ? *al.resolved_at : -1}});
    }
    for (auto& [key, values] : p.thresholds)
      line({{"threshold", key}, {"values", doubles(values)}});
  }
}

}  // namespace tascade

// The metrics operations of the catalogue (issue 13, METRICS-SPEC §12): the summary, trends,
// breakdowns, drilldowns, alerts and their acknowledgement, workflow actions and milestone
// health with forecasts. Queries read the metrics projection (src/projections/metrics/);
// alert commands go to the alert desk actor. Every 2xx answer carries X-API-Version: 1.0.

#include "actors/alert_desk.hpp"
#include "catalogue/operation_support.hpp"
#include "projections/metrics/metric_formulas.hpp"
#include "telemetry/server_metrics.hpp"

#include <algorithm>
#include <cmath>

namespace tascade::catalogue {

namespace {

constexpr int64_t hour_us = 3'600'000'000;
constexpr int64_t day_us = 24 * hour_us;
constexpr const char* api_version = "1.0";

operation versioned(operation op) {
  op.success_headers = {{"X-API-Version", api_version}};
  return op;
}

int64_t floor_to(int64_t t, int64_t grain) {
  int64_t q = t / grain;
  if (t % grain < 0)
    --q;
  return q * grain;
}

// ISO-8601 with `+00:00` and microseconds only when non-zero (spec §0).
std::string iso(int64_t micros) {
  auto text = timestamp{micros}.iso();
  if (auto dot = text.find(".000000"); dot != std::string::npos)
    text.erase(dot, 7);
  return text;
}

// A date (00:00 UTC), or a date-time with `Z`, an offset, or none (UTC).
std::optional<int64_t> parse_instant(std::string_view text) {
  std::string t(text);
  if (t.size() == 10)
    t += "T00:00:00";
  auto tpos = t.find('T');
  if (tpos == std::string::npos)
    return std::nullopt;
  auto time_part = std::string_view(t).substr(tpos);
  if (time_part.find('Z') == std::string_view::npos &&
      time_part.find('+') == std::string_view::npos &&
      time_part.find('-') == std::string_view::npos)
    t += "Z";
  auto parsed = timestamp::parse(t);
  if (!parsed)
    return std::nullopt;
  return parsed->micros;
}

field_spec project_query() {
  return query("project_id", field_type::string, true, nullptr, "Project UUID.");
}

caf::error bad_request(std::string message) {
  return make_error(errc::bad_request, std::move(message));
}

// The filters parameter: absent → {}, else a JSON object (400 otherwise).
caf::expected<json::object> filters_of(const json::object& in) {
  auto text = opt_str(in, "filters");
  if (!text)
    return json::object{};
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  if (ec || !v.is_object())
    return bad_request("Invalid filters JSON");
  return v.get_object();
}

// What a task shows per dimension.
std::string dimension_value(const read_model& m, const metric_task& t, std::string_view dim) {
  if (dim == "phase") {
    auto* p = m.phase(t.phase);
    return p ? p->short_id : "unassigned";
  }
  if (dim == "milestone") {
    auto* ms = m.milestone(t.milestone);
    return ms ? ms->short_id : "unassigned";
  }
  if (dim == "assignee")
    return t.agent.empty() ? "unassigned" : t.agent;
  if (dim == "task_class")
    return std::string(to_string(t.klass));
  if (dim == "state")
    return std::string(to_string(t.state));
  return "";
}

// Whether a task passes the filters that name dimensions (other keys are ignored).
bool passes(const read_model& m, const metric_task& t, const json::object& filters) {
  for (auto& [key, want] : filters) {
    std::string_view k(key.data(), key.size());
    if (k != "phase" && k != "milestone" && k != "assignee" && k != "task_class" && k != "state")
      continue;
    if (!want.is_string() || dimension_value(m, t, k) != std::string_view(want.get_string()))
      return false;
  }
  return true;
}

// One drilldown or breakdown row of a task for `metric` as of `now`; nullopt when the task
// does not count for it.
struct task_row {
  double value;
  int64_t at;
};
std::optional<task_row> row_of(const metric_task& t, std::string_view metric, int64_t now) {
  auto hours = [](int64_t us) { return metrics::round_to(double(us) / double(hour_us), 2); };
  if (metric == "cycle_time" && t.cycle >= 0)
    return task_row{metrics::round_to(double(t.cycle) / 60e6, 2), t.implemented_at};
  if ((metric == "throughput" || metric == "lead_time") && t.integrated_at >= 0)
    return task_row{hours(t.integrated_at - t.created), t.integrated_at};
  if (metric == "wip" && t.wip_since >= 0)
    return task_row{hours(std::max<int64_t>(now - t.wip_since, 0)), t.wip_since};
  if (metric == "blocked" && t.state == task_state::blocked)
    return task_row{hours(std::max<int64_t>(now - t.entered, 0)), t.entered};
  if (metric == "backlog" && t.state == task_state::implemented)
    return task_row{hours(std::max<int64_t>(now - t.entered, 0)), t.entered};
  return std::nullopt;
}

// The title lives in the task read model, not in the metrics projection (one copy per task).
std::string title_of(const read_model& m, const task_id& id) {
  auto* t = m.task(id);
  return t ? t->title : "";
}

// ---- summary ----------------------------------------------------------------------------------

operation summary_op(const services& s) {
  return versioned(
    {"get_metrics_summary",
     "The project's metrics summary (METRICS-SPEC §4): north-star scores (DPI, FES, IRS), "
     "throughput, cycle and lead times, WIP and aging, blocked, implemented-not-integrated "
     "backlog, integration outcomes, state distribution and bottleneck. Live, as of "
     "`timestamp` when given; an earlier timestamp returns the daily summary kept for it.",
     "GET", "/v1/metrics/summary", std::vector<role>{}, false, 200, "MetricsSummary",
     {project_query(),
      query("timestamp", field_type::string, false, nullptr,
            "ISO-8601 instant (Z, an offset, or none for UTC).")},
     [s](call_context ctx, json::object in) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         auto* proj = find_project(m, in.at("project_id").as_string());
         if (!proj)
           return project_not_found();
         auto now = system_now().micros;
         auto raw = opt_str(in, "timestamp");
         if (raw) {
           auto t = parse_instant(*raw);
           if (!t)
             return bad_request("Invalid timestamp format");
           now = *t;
         }
         auto* p = m.metrics().project(proj->id);
         json::object out{{"version", api_version}, {"project_id", proj->id.str()}};
         if (!p || (raw && now < p->origin)) {
           out["timestamp"] = raw ? *raw : "";
           out["metrics"] = json::object{};
           return out;
         }
         if (raw && now < p->last_event) {
           auto it = p->daily_summaries.upper_bound(now);
           if (it == p->daily_summaries.begin()) {
             out["timestamp"] = *raw;
             out["metrics"] = json::object{};
             return out;
           }
           --it;
           out["timestamp"] = iso(it->first);
           out["metrics"] = json::parse(it->second);
           return out;
         }
         out["timestamp"] = iso(std::max(now, p->last_event));
         out["metrics"] = m.metrics().summary(*p, now);
         return out;
       });
     }});
}

// ---- trends -----------------------------------------------------------------------------------

// The start of the week (Monday) or month holding `day_start`.
int64_t period_of(int64_t day_start, std::string_view grain) {
  int64_t days = floor_to(day_start, day_us) / day_us;
  if (grain == "week")
    return (days - ((days + 3) % 7 + 7) % 7) * day_us;  // 1970-01-01 was a Thursday
  // Month: civil date from days (H. Hinnant's algorithm), back to its first day.
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day_of_month = doy - (153 * mp + 2) / 5 + 1;
  return (days - (day_of_month - 1)) * day_us;
}

operation trends_op(const services& s) {
  return versioned(
    {"get_metrics_trends",
     "Trend points of one metric (delivery_predictability_index, flow_efficiency_score, "
     "integration_reliability_score, throughput, cycle_time, wip, blocked_ratio, ini_backlog) "
     "between two dates inclusive, by hour, day, week or month. Points come from the events' "
     "own times: each bucket holds the value after its last event.",
     "GET", "/v1/metrics/trends", std::vector<role>{}, false, 200, "MetricsTrends",
     {project_query(), query("metric", field_type::string, true, nullptr, "Metric key."),
      query("start_date", field_type::string, true, nullptr, "ISO date or date-time."),
      query("end_date", field_type::string, true, nullptr, "ISO date or date-time."),
      one_of(query("granularity", field_type::string, false, "day", "Bucket size."),
             {"hour", "day", "week", "month"}),
      query("dimensions", field_type::string, false, nullptr,
            "Comma-separated dimensions (accepted; trends are project-wide).")},
     [s](call_context ctx, json::object in) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         auto* proj = find_project(m, in.at("project_id").as_string());
         if (!proj)
           return project_not_found();
         auto start = parse_instant(in.at("start_date").as_string());
         auto end = parse_instant(in.at("end_date").as_string());
         if (!start || !end)
           return bad_request("Invalid date format");
         auto metric = str(in, "metric");
         auto grain = str(in, "granularity");
         json::array data;
         auto key = std::find(trend_keys.begin(), trend_keys.end(), metric);
         auto* p = m.metrics().project(proj->id);
         if (p && key != trend_keys.end()) {
           auto index = size_t(key - trend_keys.begin());
           auto point = [&](int64_t bucket, double value) {
             data.push_back({{"timestamp", iso(bucket)}, {"value", value}});
           };
           // Closed buckets are stored; the latest event's bucket is open and computed now,
           // as of that event. A week's or month's value is its last day's.
           auto& stored = grain == "hour" ? p->hourly : p->daily;
           std::map<int64_t, double> series;
           for (auto& [bucket, values] : stored)
             series[grain == "hour" || grain == "day" ? bucket : period_of(bucket, grain)] =
               values[index];
           auto open = floor_to(p->last_event, grain == "hour" ? hour_us : day_us);
           if (grain == "week" || grain == "month")
             open = period_of(open, grain);
           series[open] = m.metrics().trend_values(*p, p->last_event)[index];
           for (auto it = series.lower_bound(*start); it != series.end() && it->first <= *end;
                ++it)
             point(it->first, it->second);
         }
         return json::object{{"version", api_version}, {"project_id", proj->id.str()},
                             {"metric", metric},       {"granularity", grain},
                             {"start_date", in.at("start_date")},
                             {"end_date", in.at("end_date")},
                             {"data", data}};
       });
     }});
}

// ---- breakdown --------------------------------------------------------------------------------

operation breakdown_op(const services& s) {
  return versioned(
    {"get_metrics_breakdown",
     "One metric split by a dimension (phase, milestone, assignee, task_class, state). "
     "throughput counts tasks integrated within time_range; cycle_time averages the minutes "
     "of tasks implemented within it; wip, blocked and backlog count current tasks. filters "
     "(a JSON object) keeps tasks whose dimensions equal the given values.",
     "GET", "/v1/metrics/breakdown", std::vector<role>{}, false, 200, "MetricsBreakdown",
     {project_query(), query("metric", field_type::string, true, nullptr, "Metric key."),
      query("dimension", field_type::string, true, nullptr, "Dimension to split by."),
      one_of(query("time_range", field_type::string, false, "7d", "Window."),
             {"24h", "7d", "30d", "90d"}),
      query("filters", field_type::string, false, nullptr, "JSON object of dimension values.")},
     [s](call_context ctx, json::object in) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         auto* proj = find_project(m, in.at("project_id").as_string());
         if (!proj)
           return project_not_found();
         auto filters = filters_of(in);
         if (!filters)
           return std::move(filters.error());
         auto metric = str(in, "metric"), dim = str(in, "dimension"), range = str(in, "time_range");
         int64_t window = range == "24h" ? day_us : range == "30d" ? 30 * day_us
                                                  : range == "90d" ? 90 * day_us : 7 * day_us;
         auto now = system_now().micros;
         struct bucket {
           double value = 0;
           int64_t count = 0;
         };
         std::map<std::string, bucket> buckets;
         auto* p = m.metrics().project(proj->id);
         bool windowed = metric == "throughput" || metric == "cycle_time";
         if (p)
           for (auto& id : p->tasks_in_order) {
             auto* t = m.metrics().task(id);
             if (!t || !passes(m, *t, *filters))
               continue;
             auto row = row_of(*t, metric, now);
             if (!row || (windowed && row->at < now - window))
               continue;
             auto& b = buckets[dimension_value(m, *t, dim)];
             ++b.count;
             b.value += metric == "cycle_time" ? row->value : 1.0;
           }
         double total = 0;
         std::vector<std::pair<std::string, bucket>> rows;
         for (auto& [name, b] : buckets) {
           if (metric == "cycle_time")
             b.value = metrics::round_to(b.value / double(b.count), 2);
           total += b.value;
           rows.emplace_back(name, b);
         }
         std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) {
           return a.second.value > b.second.value;
         });
         json::array items;
         for (auto& [name, b] : rows)
           items.push_back({{"dimension_value", name},
                            {"value", b.value},
                            {"percentage", total > 0 ? metrics::round_to(b.value / total * 100, 1)
                                                     : 0.0},
                            {"count", b.count}});
         return json::object{{"version", api_version}, {"project_id", proj->id.str()},
                             {"metric", metric},       {"dimension", dim},
                             {"time_range", range},    {"total", total},
                             {"breakdown", items}};
       });
     }});
}

// ---- drilldown --------------------------------------------------------------------------------

operation drilldown_op(const services& s) {
  auto limit = query("limit", field_type::integer, false, 50, "Page size (capped at 500).");
  limit.minimum = 1;
  auto offset = query("offset", field_type::integer, false, 0, "Items to skip.");
  offset.minimum = 0;
  return versioned(
    {"get_metrics_drilldown",
     "The tasks behind a metric, one row each: cycle_time (minutes, in_progress → "
     "implemented), throughput or lead_time (hours, created → integrated), wip, blocked and "
     "backlog (hours so far); sorted, paginated, with sum/avg/min/max and percentiles.",
     "GET", "/v1/metrics/drilldown", std::vector<role>{}, false, 200, "MetricsDrilldown",
     {project_query(), query("metric", field_type::string, true, nullptr, "Metric key."),
      query("filters", field_type::string, false, nullptr, "JSON object of dimension values."),
      one_of(query("sort_by", field_type::string, false, "value", "Sort key."),
             {"value", "timestamp", "task_id"}),
      one_of(query("sort_order", field_type::string, false, "desc", "Direction."),
             {"asc", "desc"}),
      limit, offset},
     [s](call_context ctx, json::object in) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         auto* proj = find_project(m, in.at("project_id").as_string());
         if (!proj)
           return project_not_found();
         auto filters = filters_of(in);
         if (!filters)
           return std::move(filters.error());
         auto metric = str(in, "metric");
         auto now = system_now().micros;
         struct item {
           const metric_task* task;
           task_id id;
           task_row row;
         };
         std::vector<item> rows;
         if (auto* p = m.metrics().project(proj->id))
           for (auto& id : p->tasks_in_order) {
             auto* t = m.metrics().task(id);
             if (!t || !passes(m, *t, *filters))
               continue;
             if (auto row = row_of(*t, metric, now))
               rows.push_back({t, id, *row});
           }
         std::vector<double> values;
         for (auto& r : rows)
           values.push_back(r.row.value);
         std::sort(values.begin(), values.end());
         json::object aggregation{{"sum", 0}, {"avg", 0}, {"min", 0}, {"max", 0},
                                  {"p50", 0}, {"p90", 0}, {"p95", 0}};
         if (!values.empty()) {
           double sum = 0;
           for (auto v : values)
             sum += v;
           auto n = values.size();
           auto at = [&](double q) { return values[std::min(size_t(double(n) * q), n - 1)]; };
           aggregation = {{"sum", metrics::round_to(sum, 6)},
                          {"avg", metrics::round_to(sum / double(n), 6)},
                          {"min", values.front()},
                          {"max", values.back()},
                          {"p50", at(0.5)},
                          {"p90", at(0.9)},
                          {"p95", at(0.95)}};
         }
         auto by = str(in, "sort_by");
         bool desc = str(in, "sort_order") == "desc";
         std::stable_sort(rows.begin(), rows.end(), [&](const item& a, const item& b) {
           if (by == "timestamp")
             return desc ? a.row.at > b.row.at : a.row.at < b.row.at;
           if (by == "task_id")
             return desc ? a.id.str() > b.id.str() : a.id.str() < b.id.str();
           return desc ? a.row.value > b.row.value : a.row.value < b.row.value;
         });
         auto lim = std::min<int64_t>(in.at("limit").to_number<int64_t>(), 500);
         auto off = in.at("offset").to_number<int64_t>();
         json::array items;
         for (auto i = size_t(off); i < rows.size() && i < size_t(off + lim); ++i) {
           auto& r = rows[i];
           items.push_back(
             {{"task_id", r.id.str()},
              {"task_title", title_of(m, r.id)},
              {"value", r.row.value},
              {"timestamp", iso(r.row.at)},
              {"context",
               {{"phase", dimension_value(m, *r.task, "phase")},
                {"milestone", dimension_value(m, *r.task, "milestone")},
                {"assignee", dimension_value(m, *r.task, "assignee")},
                {"state", to_string(r.task->state)}}},
              {"contributing_factors", json::array{}}});
         }
         auto total = int64_t(rows.size());
         return json::object{
           {"version", api_version},
           {"project_id", proj->id.str()},
           {"metric", metric},
           {"filters_applied", *filters},
           {"items", items},
           {"pagination",
            {{"total", total}, {"limit", lim}, {"offset", off}, {"has_more", off + lim < total}}},
           {"aggregation", aggregation}};
       });
     }});
}

// ---- alerts -----------------------------------------------------------------------------------

json::object alert_json(const metric_alert& a) {
  auto opt_time = [](const std::optional<int64_t>& t) {
    return t ? json::value(iso(*t)) : json::value(nullptr);
  };
  return {{"id", a.id.str()},
          {"project_id", a.project.str()},
          {"metric_key", a.metric_key},
          {"alert_type", a.alert_type},
          {"severity", a.severity},
          {"value", a.value},
          {"threshold", a.threshold ? json::value(*a.threshold) : json::value(nullptr)},
          {"context", a.context},
          {"created_at", iso(a.created_at)},
          {"acknowledged_at", opt_time(a.acknowledged_at)},
          {"resolved_at", opt_time(a.resolved_at)},
          {"status", a.resolved_at ? "resolved" : "open"}};
}

bool truthy(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text == "true" || text == "1" || text == "yes";
}

operation alerts_op(const services& s) {
  auto limit = query("limit", field_type::integer, false, 50, "At most this many, 1..500.");
  limit.minimum = 1;
  limit.maximum = 500;
  return versioned(
    {"get_metrics_alerts",
     "The project's metric alerts, newest first: raised when a metric crosses a threshold "
     "(METRICS-SPEC §9.1), resolved when it comes back. Filter by severity (warning, "
     "critical, emergency) and acknowledged (true/1/yes: acknowledged only; any other value: "
     "unacknowledged only).",
     "GET", "/v1/metrics/alerts", std::vector<role>{}, false, 200, "MetricsAlertList",
     {project_query(), query("severity", field_type::string, false, nullptr, "Severity."),
      query("acknowledged", field_type::string, false, nullptr, "Acknowledged filter."), limit},
     [s](call_context ctx, json::object in) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         auto* proj = find_project(m, in.at("project_id").as_string());
         if (!proj)
           return project_not_found();
         auto severity = opt_str(in, "severity");
         if (severity && *severity != "warning" && *severity != "critical" &&
             *severity != "emergency")
           return bad_request("Invalid severity filter");
         auto ack = opt_str(in, "acknowledged");
         auto limit = in.at("limit").to_number<int64_t>();
         json::array items;
         if (auto* p = m.metrics().project(proj->id))
           for (auto it = p->alerts.rbegin(); it != p->alerts.rend(); ++it) {
             auto* a = m.metrics().alert(*it);
             if (severity && a->severity != *severity)
               continue;
             if (ack && truthy(*ack) != a->acknowledged_at.has_value())
               continue;
             if (int64_t(items.size()) == limit)
               break;
             items.push_back(alert_json(*a));
           }
         return json::object{{"items", items}};
       });
     }});
}

operation acknowledge_op(const services& s) {
  return versioned(
    {"acknowledge_alert",
     "Acknowledge a metric alert (again: the time is overwritten). Recorded as an "
     "alert_acknowledged event; acknowledged alerts drop out of workflow actions.",
     "POST", "/v1/metrics/alerts/{alert_id}/acknowledge", std::vector<role>{role::planner}, false,
     200, "MetricsAlertAcknowledged",
     {path_param("alert_id", "Alert UUID."), project_query()},
     [s](call_context ctx, json::object in) {
       acknowledge_alert cmd{meta_of(ctx), str(in, "alert_id"), str(in, "project_id")};
       auto shared = std::make_shared<const call_context>(std::move(ctx));
       s.ask->ask<command_done>(
         s.alert_desk, std::move(cmd),
         [hub = s.hub, shared](command_done& done) {
           auto id = uuid::parse(created_id(done));
           auto body = hub->read([&](const read_model& m) -> json::value {
             auto* a = id ? m.metrics().alert(*id) : nullptr;
             if (!a || !a->acknowledged_at)
               return nullptr;
             return json::object{{"id", a->id.str()}, {"acknowledged_at", iso(*a->acknowledged_at)}};
           });
           if (body.is_null())
             shared->fail(make_error(errc::invariant_violation, "the result is not visible"));
           else
             shared->reply({200, std::move(body)});
         },
         [shared](caf::error& err) { shared->fail(std::move(err)); });
     }});
}

operation thresholds_op(const services& s) {
  return versioned(
    {"set_metric_alert_thresholds",
     "Change some of a project's alert thresholds: {metric_key: {warning?, critical?, "
     "emergency?}} for DPI, FES, IRS, lead_time_p90, blocked_ratio, ini_backlog (ratios, "
     "hours, counts as in METRICS-SPEC §9.1). Recorded as an alert_thresholds_set event; "
     "returns every threshold of the project.",
     "POST", "/v1/metrics/alerts/thresholds", std::vector<role>{role::planner}, false, 200,
     "MetricsThresholds",
     {body("project_id", field_type::string, true, "Project UUID."),
      body("thresholds", field_type::object, true, "Metric key → levels.")},
     [s](call_context ctx, json::object in) {
       set_alert_thresholds cmd{meta_of(ctx), str(in, "project_id"),
                                in.at("thresholds").as_object()};
       auto shared = std::make_shared<const call_context>(std::move(ctx));
       auto project = str(in, "project_id");
       s.ask->ask<command_done>(
         s.alert_desk, std::move(cmd),
         [hub = s.hub, shared, project](command_done&) {
           auto body = hub->read([&](const read_model& m) -> json::value {
             auto table = default_thresholds();
             auto id = project_id::parse(project);
             if (auto* p = id ? m.metrics().project(*id) : nullptr)
               for (auto& [key, levels] : p->thresholds)
                 if (auto it = table.find(key); it != table.end())
                   it->second = {it->second.below, levels[0], levels[1], levels[2]};
             return json::object{{"project_id", project}, {"thresholds", thresholds_json(table)}};
           });
           shared->reply({200, std::move(body)});
         },
         [shared](caf::error& err) { shared->fail(std::move(err)); });
     }});
}

// ---- actions and health -----------------------------------------------------------------------

operation actions_op(const services& s) {
  return versioned(
    {"get_workflow_actions",
     "Workflow suggestions (METRICS-SPEC §10): escalate when the INI backlog exceeds 10 or DPI "
     "is below 0.5 (as a ratio), reroute_reviewer on gate latency or reviewer load skew; "
     "affected tasks come from open, unacknowledged alerts.",
     "GET", "/v1/metrics/actions", std::vector<role>{role::planner}, false, 200,
     "MetricsActions", {project_query()},
     [s](call_context ctx, json::object in) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         auto* proj = find_project(m, in.at("project_id").as_string());
         if (!proj)
           return project_not_found();
         auto* p = m.metrics().project(proj->id);
         bool present = p && p->tasks > 0;
         double backlog = 0, dpi = 1.0;
         std::vector<metrics::alert_input> alerts;
         if (present) {
           auto f = m.metrics().figures(*p, system_now().micros);
           backlog = double(f.backlog);
           dpi = f.dpi.value_or(1.0);
           for (auto it = p->alerts.rbegin(); it != p->alerts.rend() && alerts.size() < 50; ++it) {
             auto* a = m.metrics().alert(*it);
             if (a->acknowledged_at || a->resolved_at)
               continue;
             metrics::alert_input input{a->metric_key, {}, false};
             if (auto* ids = a->context.if_contains("task_ids"); ids && ids->is_array())
               for (auto& v : ids->get_array())
                 if (v.is_string())
                   input.task_ids.emplace_back(v.get_string());
             if (auto* skew = a->context.if_contains("reviewer_load_skew"))
               input.reviewer_load_skew = skew->is_bool() && skew->get_bool();
             alerts.push_back(std::move(input));
           }
         }
         return json::object{{"version", api_version},
                             {"project_id", proj->id.str()},
                             {"suggestions",
                              metrics::workflow_actions(present, backlog, dpi, 0, alerts)}};
       });
     }});
}

// Daily integration counts over the last 28 days (from the first integration when later).
std::vector<int64_t> daily_throughput(const project_metrics& p, int64_t now) {
  std::vector<int64_t> out;
  if (p.integrations_per_day.empty())
    return out;
  int64_t today = floor_to(now, day_us);
  int64_t from = std::max(today - 27 * day_us, p.integrations_per_day.begin()->first);
  for (int64_t d = from; d <= today; d += day_us) {
    auto it = p.integrations_per_day.find(d);
    out.push_back(it == p.integrations_per_day.end() ? 0 : it->second);
  }
  return out;
}

operation health_op(const services& s) {
  return versioned(
    {"get_metrics_health",
     "Per milestone, by sequence: completion health (green ≥ 0.70, yellow ≥ 0.50), the "
     "reference's normal-approximation breach probability over one week, and a Monte Carlo "
     "forecast of the completion date from the project's own daily throughput of the last 28 "
     "days (p50/p85/p95; with target_date, the probability of finishing by then). The seed "
     "makes the forecast repeatable.",
     "GET", "/v1/metrics/health", std::vector<role>{}, false, 200, "MetricsHealth",
     {project_query(),
      query("target_date", field_type::string, false, nullptr, "ISO date or date-time."),
      query("seed", field_type::integer, false, 1, "Monte Carlo seed."),
      query("trials", field_type::integer, false, 2000, "Monte Carlo trials, 100..20000.")},
     [s](call_context ctx, json::object in) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         auto* proj = find_project(m, in.at("project_id").as_string());
         if (!proj)
           return project_not_found();
         std::optional<int64_t> target;
         if (auto raw = opt_str(in, "target_date")) {
           target = parse_instant(*raw);
           if (!target)
             return bad_request("Invalid target_date format");
         }
         auto trials = in.at("trials").to_number<int64_t>();
         if (trials < 100 || trials > 20000)
           return make_error(errc::validation_failed, "trials must be within 100..20000");
         auto seed = uint64_t(in.at("seed").to_number<int64_t>());
         auto now = system_now().micros;
         auto* p = m.metrics().project(proj->id);
         auto daily = p ? daily_throughput(*p, now) : std::vector<int64_t>{};
         json::array items;
         for (auto* ms : m.milestones(proj->id)) {
           milestone_tally tally;
           if (p)
             if (auto it = p->milestones.find(ms->id); it != p->milestones.end())
               tally = it->second;
           double mean_h = tally.cycle_n ? tally.cycle_hours_sum / double(tally.cycle_n) : 0;
           double var = tally.cycle_n ? tally.cycle_hours_sq / double(tally.cycle_n) - mean_h * mean_h
                                      : 0;
           auto h = metrics::health_of(tally.total, tally.completed, tally.cycle_n, mean_h,
                                       std::sqrt(std::max(var, 0.0)));
           auto remaining = tally.total - tally.completed;
           json::value forecast = nullptr;
           if (remaining == 0) {
             forecast = {{"method", "monte_carlo"}, {"remaining", 0}};
           } else if (auto f = metrics::monte_carlo(remaining, daily, seed, int(trials))) {
             auto date = [&](double days) { return iso(now + int64_t(days * double(day_us))); };
             json::object fo{{"method", "monte_carlo"},
                             {"trials", trials},
                             {"seed", int64_t(seed)},
                             {"history_days", int64_t(daily.size())},
                             {"remaining", remaining},
                             {"p50_days", f->p50_days},
                             {"p85_days", f->p85_days},
                             {"p95_days", f->p95_days},
                             {"p50_date", date(f->p50_days)},
                             {"p85_date", date(f->p85_days)},
                             {"p95_date", date(f->p95_days)}};
             if (target) {
               fo["target_date"] = iso(*target);
               fo["probability_by_target"] =
                 metrics::round_to(f->within(double(*target - now) / double(day_us)), 4);
             }
             forecast = std::move(fo);
           }
           items.push_back(
             {{"milestone_id", ms->id.str()},
              {"name", ms->name},
              {"short_id", ms->short_id},
              {"health_score", h.health_score ? json::value(*h.health_score) : json::value(nullptr)},
              {"health_status", h.status},
              {"breach_probability", h.breach},
              {"task_summary",
               {{"total", tally.total},
                {"completed", tally.completed},
                {"remaining", remaining},
                {"avg_cycle_time_hours", h.avg_cycle_hours}}},
              {"forecast", forecast}});
         }
         return json::object{{"version", api_version}, {"project_id", proj->id.str()},
                             {"milestones", items}};
       });
     }});
}

// ---- Prometheus -------------------------------------------------------------------------------

operation scrape_op(const services& s) {
  operation op{"get_server_metrics",
               "Prometheus text exposition of the server's own operation: requests per "
               "operation and status with latency histograms, log-writer batches and fsync "
               "latency, events appended, live actors, stream subscribers and cut-offs, lease "
               "expiries, checkpoint durations. Without a key on a loopback server.",
               "GET", "/metrics", std::vector<role>{role::operator_}, s.scrape_public, 200,
               "Health", {},
               [sys = s.sys](call_context ctx, json::object) {
                 auto live = sys ? int64_t(sys->registry().running()) : 0;
                 ctx.reply({200, json::string(server_metrics::global().exposition(live))});
               }};
  op.scope = scope_kind::global;
  op.text_content_type = "text/plain; version=0.0.4; charset=utf-8";
  return op;
}

}  // namespace

std::vector<operation> metrics_operations(const services& s) {
  return {summary_op(s), trends_op(s),   breakdown_op(s),  drilldown_op(s), alerts_op(s),
          acknowledge_op(s), thresholds_op(s), actions_op(s), health_op(s),   scrape_op(s)};
}

}  // namespace tascade::catalogue

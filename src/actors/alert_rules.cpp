#include "actors/alert_rules.hpp"

#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace tascade {

namespace json = boost::json;

namespace {

double round4(double x) { return std::nearbyint(x * 1e4) / 1e4; }

}  // namespace

const threshold_table& default_thresholds() {
  static const threshold_table table{
    {"DPI", {true, 0.65, 0.50, 0.35}},
    {"FES", {true, 0.30, 0.20, 0.10}},
    {"IRS", {true, 0.75, 0.60, 0.45}},
    {"lead_time_p90", {false, 240, 336, 504}},
    {"blocked_ratio", {false, 0.15, 0.25, 0.40}},
    {"ini_backlog", {false, 10, 20, 40}},
  };
  return table;
}

std::optional<threshold_hit> evaluate_threshold(const std::string& key, double value,
                                                const threshold_table& table) {
  auto it = table.find(key);
  if (it == table.end())
    return std::nullopt;
  const auto& t = it->second;
  for (auto [severity, level] : {std::pair{"emergency", t.emergency},
                                 std::pair{"critical", t.critical},
                                 std::pair{"warning", t.warning}}) {
    bool hit = t.below ? value < level : value > level;
    if (hit)
      return threshold_hit{true, std::string(severity), level};
  }
  return threshold_hit{};
}

std::optional<anomaly_score> evaluate_anomaly(const std::vector<double>& history, double current,
                                              double z_threshold) {
  if (history.size() < 2)
    return std::nullopt;
  double sum = 0;
  for (auto x : history)
    sum += x;
  double m = sum / double(history.size());
  double sq = 0;
  for (auto x : history)
    sq += (x - m) * (x - m);
  double s = std::sqrt(sq / double(history.size()));
  if (s == 0)
    return std::nullopt;
  double z = std::abs(current - m) / s;
  return anomaly_score{z > z_threshold, round4(z), round4(m), round4(s)};
}

std::vector<events::event> decide(const alert_desk_state& s, const evaluate_alerts& c,
                                  const std::function<uuid()>& next_id) {
  std::vector<events::event> out;
  static const alert_desk_state::project_alerts none{};
  auto it = s.projects.find(c.project);
  const auto& p = it == s.projects.end() ? none : it->second;
  for (auto& [key, value] : c.readings) {
    auto hit = evaluate_threshold(key, value, p.table);
    if (!hit)
      continue;
    auto open = p.open.find(key);
    bool is_open = open != p.open.end();
    if (is_open && hit->triggered && open->second.severity == *hit->severity)
      continue;  // still the same alert: never a duplicate
    if (is_open)
      out.push_back(events::alert_resolved{open->second.id, c.project, key, value});
    if (hit->triggered) {
      bool below = p.table.at(key).below;
      out.push_back(events::alert_raised{next_id(), c.project, key, "threshold", *hit->severity,
                                         value, hit->threshold,
                                         json::object{{"direction", below ? "below" : "above"}}});
    }
  }
  return out;
}

caf::expected<std::vector<events::event>> decide(const alert_desk_state& s,
                                                 const acknowledge_alert& c) {
  auto id = uuid::parse(c.alert);
  auto it = id ? s.alerts.find(*id) : s.alerts.end();
  if (it == s.alerts.end())
    return make_error(errc::alert_not_found, "Alert not found");
  if (it->second.str() != c.project)
    return make_error(errc::project_scope_violation, "Alert does not belong to this project");
  return std::vector<events::event>{
    events::alert_acknowledged{*id, it->second, c.meta.principal}};
}

caf::expected<std::vector<events::event>> decide(
  const alert_desk_state& s, const set_alert_thresholds& c,
  const std::function<bool(const project_id&)>& project_exists) {
  auto project = project_id::parse(c.project);
  if (!project || !project_exists(*project))
    return make_error(errc::project_not_found, "Project not found");
  auto it = s.projects.find(*project);
  const auto& current = it == s.projects.end() ? default_thresholds() : it->second.table;
  json::object accepted;
  for (auto& [key_view, v] : c.thresholds) {
    std::string key(key_view);
    auto row = current.find(key);
    if (row == current.end())
      return make_error(errc::bad_request, "thresholds: unknown metric '" + key + "'");
    if (!v.is_object())
      return make_error(errc::bad_request, "thresholds." + key + " must be an object");
    auto t = row->second;
    for (auto& [level, x] : v.get_object()) {
      if (!x.is_number())
        return make_error(errc::bad_request,
                          "thresholds." + key + "." + std::string(level) + " must be a number");
      double value = x.to_number<double>();
      if (level == "warning")
        t.warning = value;
      else if (level == "critical")
        t.critical = value;
      else if (level == "emergency")
        t.emergency = value;
      else
        return make_error(errc::bad_request,
                          "thresholds." + key + ": unknown level '" + std::string(level) + "'");
    }
    bool ordered = t.below ? (t.warning >= t.critical && t.critical >= t.emergency)
                           : (t.warning <= t.critical && t.critical <= t.emergency);
    if (!ordered)
      return make_error(errc::bad_request,
                        "thresholds." + key + ": warning, critical and emergency must get worse "
                                              "in that order");
    accepted[key] = {{"warning", t.warning}, {"critical", t.critical}, {"emergency", t.emergency}};
  }
  if (accepted.empty())
    return make_error(errc::bad_request, "thresholds: name at least one metric");
  return std::vector<events::event>{
    events::alert_thresholds_set{*project, std::move(accepted), c.meta.principal}};
}

void apply(alert_desk_state& s, const events::event& ev) {
  if (auto* raised = std::get_if<events::alert_raised>(&ev)) {
    s.projects[raised->project].open[raised->metric_key] = {raised->id, raised->severity};
    s.alerts[raised->id] = raised->project;
  } else if (auto* resolved = std::get_if<events::alert_resolved>(&ev)) {
    auto& open = s.projects[resolved->project].open;
    if (auto it = open.find(resolved->metric_key); it != open.end() && it->second.id == resolved->id)
      open.erase(it);
  } else if (auto* set = std::get_if<events::alert_thresholds_set>(&ev)) {
    auto& table = s.projects[set->project].table;
    for (auto& [key, v] : set->thresholds) {
      auto& t = table[std::string(key)];
      auto& o = v.as_object();
      t.warning = o.at("warning").to_number<double>();
      t.critical = o.at("critical").to_number<double>();
      t.emergency = o.at("emergency").to_number<double>();
    }
  }
  ++s.version;
}

json::object thresholds_json(const threshold_table& table) {
  json::object out;
  for (auto& [key, t] : table)
    out[key] = {{"direction", t.below ? "below" : "above"},
                {"warning", t.warning},
                {"critical", t.critical},
                {"emergency", t.emergency}};
  return out;
}

}  // namespace tascade

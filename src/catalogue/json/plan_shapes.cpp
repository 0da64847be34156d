#include "catalogue/json/plan_shapes.hpp"

#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace tascade::catalogue {

namespace json = boost::json;

namespace {

json::value sorted(const json::value& v) {
  if (v.is_array()) {
    json::array out;
    for (auto& item : v.get_array())
      out.push_back(sorted(item));
    return out;
  }
  if (!v.is_object())
    return v;
  std::vector<std::pair<std::string, const json::value*>> items;
  for (auto& [k, value] : v.get_object())
    items.emplace_back(std::string(k), &value);
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  json::object out;
  for (auto& [k, value] : items)
    out[k] = sorted(*value);
  return out;
}

}  // namespace

std::string seed_time(timestamp t) {
  auto text = t.iso();
  if (auto zone = text.find('+', 10); zone != std::string::npos)
    text.erase(zone);
  if (text.size() > 7 && text.compare(text.size() - 7, 7, ".000000") == 0)
    text.erase(text.size() - 7);
  return text;
}

json::object plan_summary_json(const plan_view& p) {
  auto& plan = p.plan;
  json::object out{{"id", p.id.str()},
                   {"projectId", p.project_ref},
                   {"runId", p.run_id},
                   {"status", plan.at("status")},
                   {"reportRef", plan.contains("report") ? plan.at("reportRef") : nullptr},
                   {"coverage", plan.at("coverage")},
                   {"createdAt", seed_time(p.created_at)},
                   {"updatedAt", seed_time(p.updated_at)}};
  if (p.applied.empty())
    out["applied"] = nullptr;
  else
    out["applied"] = {{"projectId", p.applied.at("project_id")},
                      {"changesetId", p.applied.at("changeset_id")},
                      {"planVersion", p.applied.at("version_number")}};
  if (p.source) {
    out["rerunOf"] = p.source->str();
    out["contractDiff"] = p.diff;
    out["proposedOperations"] = p.proposed.size();
    out["proposedChangesetId"] =
      p.proposed_changeset ? json::value(p.proposed_changeset->str()) : nullptr;
  }
  return out;
}

json::array plan_tasks_json(const plan_view& p) {
  static constexpr std::string_view internal[] = {
    "key", "order", "contractOps", "phase", "priority", "taskClass", "capabilityTags",
    "expectedTouches", "workSpec"};
  json::array out;
  for (auto& n : p.plan.at("nodes").as_array()) {
    json::object item;
    for (auto& [k, v] : n.as_object()) {
      std::string_view key(k.data(), k.size());
      if (std::find(std::begin(internal), std::end(internal), key) == std::end(internal))
        item[key] = v;
    }
    out.push_back(std::move(item));
  }
  return out;
}

json::object plan_graph_json(const plan_view& p) {
  json::array nodes, edges;
  for (auto& v : p.plan.at("nodes").as_array()) {
    auto& n = v.as_object();
    nodes.push_back({{"id", n.at("id")},
                     {"label", n.at("title")},
                     {"domain", n.at("domain")},
                     {"tokenBudget", n.at("contextBudgetTokens")},
                     {"order", n.at("order")}});
  }
  for (auto& v : p.plan.at("edges").as_array()) {
    auto& e = v.as_object();
    edges.push_back({{"from", e.at("from")}, {"to", e.at("to")},
                     {"description", e.at("description")}});
  }
  return {{"nodes", std::move(nodes)}, {"edges", std::move(edges)}};
}

caf::expected<json::value> plan_report_json(const plan_view& p) {
  auto* report = p.plan.if_contains("report");
  if (!report || report->is_null())
    return make_error(errc::report_not_found, "Report not generated",
                      {{"error", "ReportNotFound"}});
  return sorted(*report);
}

json::object plan_applied_json(const read_model& m, const plan_view& p) {
  json::array tasks;
  for (auto& v : p.applied.at("tasks").as_array()) {
    auto& pair = v.as_object();
    json::object item{{"nodeId", pair.at("node_id")}, {"taskId", pair.at("task_id")}};
    auto& ref = pair.at("task_id");
    auto id = ref.is_string() ? task_id::parse(ref.get_string()) : std::nullopt;
    if (auto* t = id ? m.task(*id) : nullptr) {
      item["shortId"] = t->short_id;
      item["title"] = t->title;
      item["state"] = to_string(t->state);
      item["priority"] = t->priority;
    }
    tasks.push_back(std::move(item));
  }
  return {{"planId", p.id.str()},
          {"projectId", p.applied.at("project_id")},
          {"changesetId", p.applied.at("changeset_id")},
          {"planVersion", p.applied.at("version_number")},
          {"phases", p.applied.at("phases")},
          {"tasks", std::move(tasks)}};
}

}  // namespace tascade::catalogue

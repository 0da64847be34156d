#include "planner/dag_builder.hpp"

#include "planner/prd.hpp"
#include "planner/python_json.hpp"

#include <boost/json.hpp>

#include <unordered_map>

namespace tascade::planner {

namespace json = boost::json;

namespace {

// `lower(json.dumps({"path", "method", "operation_id", "summary", "tags"}))` of an operation.
std::string matching_text(const contract_operation& op) {
  json::array tags;
  for (auto& t : op.tags)
    tags.emplace_back(t);
  json::object o;
  o["path"] = op.path;
  o["method"] = op.method;
  o["operation_id"] = op.operation_id;
  o["summary"] = op.summary;
  o["tags"] = std::move(tags);
  return ascii_lower(py_dumps(o));
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i)
      out += sep;
    out += items[i];
  }
  return out;
}

struct group {
  std::string key;
  std::vector<std::string> ops;
};

std::vector<group> group_operations(const contract& c, be_grouping grouping) {
  std::vector<group> groups;
  std::unordered_map<std::string, size_t> index;
  for (auto& op : c.operations) {
    std::string key;
    switch (grouping) {
      case be_grouping::by_tag: key = op.tags.empty() ? "default" : op.tags.front(); break;
      case be_grouping::by_path_root: {
        auto first = op.path.find_first_not_of('/');
        if (first == std::string::npos) {
          key = "root";
        } else {
          auto end = op.path.find('/', first);
          key = op.path.substr(first, end == std::string::npos ? std::string::npos : end - first);
        }
        break;
      }
      case be_grouping::per_operation:
        groups.push_back({op.operation_id, {op.operation_id}});
        continue;
    }
    auto [it, fresh] = index.emplace(key, groups.size());
    if (fresh)
      groups.push_back({key, {}});
    groups[it->second].ops.push_back(op.operation_id);
  }
  return groups;
}

}  // namespace

std::string_view to_string(be_grouping g) {
  switch (g) {
    case be_grouping::by_tag: return "by-tag";
    case be_grouping::by_path_root: return "by-path-root";
    case be_grouping::per_operation: return "per-operation";
  }
  return "by-tag";
}

std::vector<std::string> db_matching_ops(const contract& c, std::string_view entity_name) {
  auto needle = ascii_lower(entity_name);
  std::vector<std::string> ops;
  for (auto& op : c.operations)
    if (matching_text(op).find(needle) != std::string::npos)
      ops.push_back(op.operation_id);
  return ops;
}

plan_graph build_dag(const contract& c, bool with_fe, be_grouping grouping,
                     bool link_scaffold_roots) {
  plan_graph g;
  std::vector<std::string> all_ops;
  all_ops.reserve(c.operations.size());
  for (auto& op : c.operations)
    all_ops.push_back(op.operation_id);

  plan_node scaffold;
  scaffold.kind = node_kind::scaffold;
  scaffold.title = "Request: provision repository scaffold";
  scaffold.domain = "Package";
  scaffold.description =
    "Request infra to prepare Git repository scaffold with CI/CD hooks and base directories.";
  scaffold.tasks = {"Provision repository with FastAPI service skeleton",
                    "Set up infrastructure IaC directories",
                    "Bootstrap Alembic migrations and Dockerfiles"};
  scaffold.acceptance_criteria = {"Repository skeleton ready with FastAPI app",
                                  "Continuous integration pipeline stub available",
                                  "Secrets placeholders documented"};
  scaffold.artifacts_out.push_back(
    json::object{{"type", "repo-scaffold"}, {"description", "Repository template request"}});
  g.nodes.push_back(std::move(scaffold));

  // The DB matching text of each operation, computed once.
  std::vector<std::string> texts;
  texts.reserve(c.operations.size());
  for (auto& op : c.operations)
    texts.push_back(matching_text(op));

  std::vector<size_t> db, be, fe;
  for (auto& e : c.entities) {
    plan_node n;
    n.kind = node_kind::db;
    n.anchor = e.name;
    n.title = "Design and migrate " + e.name + " table";
    n.domain = "DB";
    n.description = "Create migrations and data model for " + e.name + ".";
    n.tasks = {"Define table columns and constraints",
               "Create migration scripts with reversible operations",
               "Document seed data requirements if any"};
    n.acceptance_criteria = {"Postgres migration covering " + e.name + " entity is generated",
                             "Unit tests cover migration up/down",
                             "Context Card emitted summarizing schema"};
    n.schema_definition = e.definition;
    auto needle = ascii_lower(e.name);
    for (size_t i = 0; i < c.operations.size(); ++i)
      if (texts[i].find(needle) != std::string::npos)
        n.contract_ops.push_back(c.operations[i].operation_id);
    db.push_back(g.nodes.size());
    g.nodes.push_back(std::move(n));
  }

  for (auto& grp : group_operations(c, grouping)) {
    plan_node n;
    n.kind = node_kind::be;
    n.anchor = grp.key;
    n.title = "Implement backend handlers for " +
              (grouping == be_grouping::by_path_root ? "/" + grp.key : grp.key);
    n.domain = "BE";
    n.description = "Implement API handlers covering operations: " + join(grp.ops, ", ");
    n.tasks = {"Implement FastAPI route handlers aligned with contract",
               "Integrate with database models and validations",
               "Emit Context Cards upon completion"};
    n.acceptance_criteria = {"All endpoints return contract-compliant schemas",
                             "Unit tests cover success and error paths",
                             "Token budget respected with context reuse"};
    n.contract_ops = std::move(grp.ops);
    be.push_back(g.nodes.size());
    g.nodes.push_back(std::move(n));
  }

  if (with_fe && !c.operations.empty()) {
    plan_node foundation;
    foundation.kind = node_kind::fe_foundation;
    foundation.title = "Create shared frontend foundation";
    foundation.domain = "FE";
    foundation.description = "Set up design system, routing shell, and API client";
    foundation.tasks = {"Establish design system primitives",
                        "Implement API client bound to contract schemas",
                        "Ensure layout covers responsive breakpoints"};
    foundation.acceptance_criteria = {"Design tokens defined", "API client generated from contract",
                                      "Context card summarizing FE primitives emitted"};
    foundation.contract_ops = all_ops;
    fe.push_back(g.nodes.size());
    g.nodes.push_back(std::move(foundation));
    for (auto& op : c.operations) {
      plan_node n;
      n.kind = node_kind::fe_flow;
      n.anchor = op.operation_id;
      n.title = "Build UI flow for " + op.operation_id;
      n.domain = "FE";
      n.description =
        "Implement UI to surface " + (op.summary.empty() ? op.operation_id : op.summary);
      n.tasks = {"Create route + view", "Integrate API client with optimistic states",
                 "Instrument analytics hooks"};
      n.acceptance_criteria = {"UI renders contract-backed data",
                               "Error and loading states covered",
                               "Accessibility checklist satisfied"};
      n.contract_ops = {op.operation_id};
      fe.push_back(g.nodes.size());
      g.nodes.push_back(std::move(n));
    }
  }

  plan_node test;
  test.kind = node_kind::test;
  test.title = "Construct integration and contract tests";
  test.domain = "Test";
  test.description =
    "Author integration tests ensuring API and data contract coverage with regression hooks.";
  test.tasks = {"Generate contract conformance tests", "Create end-to-end scenarios across domains",
                "Produce coverage diff artifact"};
  test.acceptance_criteria = {"100% contract operations exercised", "Regression matrix documented",
                              "Test artifacts stored with hash references"};
  test.contract_ops = all_ops;
  size_t test_index = g.nodes.size();
  g.nodes.push_back(std::move(test));

  plan_node package;
  package.kind = node_kind::package;
  package.title = "Finalize deployment package";
  package.domain = "Package";
  package.description =
    "Assemble deployment manifests, Helm chart updates, and release plan with "
    "rollback procedures.";
  package.tasks = {"Produce Helm values and Terraform diffs", "Update OTEL + metrics dashboards",
                   "Document release readiness and runbooks"};
  package.acceptance_criteria = {"Deployment artifacts content-hashed and stored",
                                 "Operational readiness checklist signed",
                                 "Audit log entry generated with correlation ID"};
  size_t package_index = g.nodes.size();
  g.nodes.push_back(std::move(package));

  auto& edges = g.edges;
  edges.reserve(db.size() * (be.size() + 2) + be.size() * (fe.size() + 1) + fe.size() + 1);
  for (auto d : db)
    edges.push_back({0, d, "Repo ready"});
  if (link_scaffold_roots && db.empty()) {
    for (auto b : be)
      edges.push_back({0, b, "Repo ready"});
    if (be.empty())
      edges.push_back({0, test_index, "Repo ready"});
  }
  for (auto b : be)
    for (auto d : db)
      edges.push_back({d, b, "DB schema available"});
  for (auto f : fe)
    for (auto b : be)
      edges.push_back({b, f, "API ready"});
  for (auto b : be)
    edges.push_back({b, test_index, "Backend complete"});
  for (auto f : fe)
    edges.push_back({f, test_index, "UI ready"});
  for (auto d : db)
    edges.push_back({d, test_index, "DB migrations ready"});
  edges.push_back({test_index, package_index, "Tests green"});
  return g;
}

}  // namespace tascade::planner

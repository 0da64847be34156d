#include "catalogue/catalogue.hpp"
#include "catalogue/openapi.hpp"
#include "http/router.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <set>

namespace tascade::catalogue {
namespace {

// The catalogue is built without a running system: only its table is inspected here.
std::vector<operation> catalogue() {
  static projection_hub hub;
  return make_catalogue({nullptr, caf::actor{}, &hub});
}

TEST(Catalogue, EveryOperationDeclaresItsRolesAndAUniqueName) {
  std::set<std::string> names, routes;
  for (auto& op : catalogue()) {
    EXPECT_TRUE(op.roles.has_value()) << op.name << " declares no role";
    EXPECT_TRUE(names.insert(op.name).second) << "duplicate name " << op.name;
    if (!op.mcp_only) {  // MCP-only operations have no route
      EXPECT_TRUE(routes.insert(op.method + " " + op.path).second) << "duplicate route " << op.path;
    }
    EXPECT_FALSE(op.summary.empty()) << op.name;
    EXPECT_TRUE(op.handler) << op.name;
    for (auto& f : op.input) {
      if (f.in == param_in::path) {
        EXPECT_NE(op.path.find("{" + f.name + "}"), std::string::npos) << op.name << " " << f.name;
      }
    }
  }
  for (auto name : {"create_project", "list_projects", "get_project", "create_phase",
                    "create_milestone", "create_task", "list_tasks", "get_task",
                    "create_dependency", "get_project_graph"})
    EXPECT_TRUE(names.count(name)) << name << " missing";
}

TEST(Catalogue, WritesNeedARoleAndReadsAcceptAnyKey) {
  for (auto& op : catalogue()) {
    if (op.public_route)
      continue;
    if (op.method == "POST") {
      EXPECT_FALSE(op.roles->empty()) << op.name << " writes without a role";
    }
  }
}

TEST(Router, LiteralSegmentsWinAndMethodsAreChecked) {
  std::vector<operation> ops{
    {"by_id", "", "GET", "/v1/tasks/{task_id}", std::vector<role>{}, false, 200, "", {}, {}},
    {"ready", "", "GET", "/v1/tasks/ready", std::vector<role>{}, false, 200, "", {}, {}},
    {"claim", "", "POST", "/v1/tasks/{task_id}/claim", std::vector<role>{}, false, 200, "", {},
     {}}};
  http::router r{ops};
  EXPECT_EQ(r.match("GET", "/v1/tasks/ready").op->name, "ready");
  auto byid = r.match("GET", "/v1/tasks/P1.M1.T1");
  EXPECT_EQ(byid.op->name, "by_id");
  EXPECT_EQ(byid.path_params.at("task_id"), "P1.M1.T1");
  EXPECT_EQ(r.match("POST", "/v1/tasks/abc/claim").path_params.at("task_id"), "abc");
  EXPECT_EQ(r.match("GET", "/v1/tasks/a%20b").path_params.at("task_id"), "a b");
  auto wrong = r.match("DELETE", "/v1/tasks/ready");
  EXPECT_EQ(wrong.op, nullptr);
  EXPECT_TRUE(wrong.method_mismatch);
  auto none = r.match("GET", "/v2/nothing");
  EXPECT_EQ(none.op, nullptr);
  EXPECT_FALSE(none.method_mismatch);
}

TEST(OpenApi, DocumentListsEveryRouteWithItsInputs) {
  auto ops = catalogue();
  auto doc = openapi_document(ops);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  auto& paths = doc.at("paths").as_object();
  for (auto& op : ops) {
    if (op.mcp_only) {
      EXPECT_TRUE(op.path.empty()) << op.name;
      continue;  // no REST route, so no path in the document
    }
    auto method = op.method == "GET" ? "get" : "post";
    ASSERT_TRUE(paths.contains(op.path)) << op.path;
    auto& entry = paths.at(op.path).at(method);
    EXPECT_EQ(entry.at("operationId").as_string(), op.name);
    auto& responses = entry.at("responses").as_object();
    EXPECT_TRUE(responses.contains(std::to_string(op.success_status))) << op.name;
  }
  auto& create = paths.at("/v1/tasks").at("post");
  auto& schema = create.at("requestBody").at("content").at("application/json").at("schema");
  EXPECT_TRUE(schema.at("properties").as_object().contains("work_spec"));
  auto& list = paths.at("/v1/tasks").at("get").at("parameters").as_array();
  EXPECT_EQ(list.size(), 6u);
  // Every schema reference points at a component that exists.
  auto& components = doc.at("components").at("schemas").as_object();
  auto text = boost::json::serialize(doc);
  for (size_t pos = 0; (pos = text.find("#/components/schemas/", pos)) != std::string::npos;) {
    pos += 21;
    auto end = text.find('"', pos);
    EXPECT_TRUE(components.contains(text.substr(pos, end - pos))) << text.substr(pos, end - pos);
  }
}

}  // namespace
}  // namespace tascade::catalogue

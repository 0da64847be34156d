// End-to-end: health, projects, phases, milestones, the project graph and the OpenAPI document,
// against the real tascaded on a fresh data directory (spec §5.3, §5.4, §2.5, §13.2, §19 1-7).

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

std::vector<std::string> short_ids_of(const json::value& items) {
  std::vector<std::string> out;
  for (auto& item : items.as_array())
    out.emplace_back(item.at("short_id").as_string());
  return out;
}

bool is_canonical_uuid(const std::string& s) {
  if (s.size() != 36)
    return false;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !std::isxdigit(c) || std::isupper(c))
      return false;
  }
  return true;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(),
                                                suffix) == 0;
}

TEST(ProjectsE2e, HealthAnswersOk) {
  running_server s;
  auto r = s.client.get("/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), (json::value{{"status", "ok"}}));
  EXPECT_EQ(r.header("Content-Type"), "application/json");
}

TEST(ProjectsE2e, EmptyStoreListsNoProjects) {
  running_server s;
  auto r = s.client.get("/v1/projects");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), (json::value{{"items", json::array{}}}));
}

TEST(ProjectsE2e, CreatedProjectHasTheSpecFields) {
  running_server s;
  auto created = expect_object(s.client.post("/v1/projects", json::object{{"name", "Field Check"}}),
                               201, "create");
  EXPECT_TRUE(is_canonical_uuid(str(created, "id"))) << str(created, "id");
  EXPECT_EQ(str(created, "name"), "Field Check");
  EXPECT_EQ(str(created, "status"), "active");
  EXPECT_TRUE(ends_with(str(created, "created_at"), "+00:00")) << str(created, "created_at");
  EXPECT_TRUE(ends_with(str(created, "updated_at"), "+00:00")) << str(created, "updated_at");
  EXPECT_EQ(created.size(), 5u) << json::serialize(created);

  auto fetched = s.client.get("/v1/projects/" + str(created, "id"));
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.json(), json::value(created));

  auto list = expect_object(s.client.get("/v1/projects"), 200, "list");
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.at("items").at(0), json::value(created));
}

TEST(ProjectsE2e, ListShowsNewestFirst) {
  running_server s;
  auto alpha = create_project(s.client, "Project Alpha");
  auto beta = create_project(s.client, "Project Beta");
  auto gamma = create_project(s.client, "Project Gamma");
  auto list = expect_object(s.client.get("/v1/projects"), 200, "list");
  EXPECT_EQ(ids_of(list.at("items")), (std::vector<std::string>{gamma, beta, alpha}));
}

TEST(ProjectsE2e, EmptyOrMissingNameIsRejected) {
  running_server s;
  EXPECT_EQ(s.client.post("/v1/projects", json::object{{"name", ""}}).status, 422);
  EXPECT_EQ(s.client.post("/v1/projects", json::object{}).status, 422);
  EXPECT_EQ(s.client.post("/v1/projects", json::object{{"name", nullptr}}).status, 422);
  auto list = expect_object(s.client.get("/v1/projects"), 200, "list");
  EXPECT_TRUE(list.at("items").as_array().empty());
}

TEST(ProjectsE2e, UnknownProjectIsNotFound) {
  running_server s;
  create_project(s.client, "Existing");
  for (std::string ref : {std::string(nil_uuid), std::string("not-a-valid-uuid")}) {
    auto r = s.client.get("/v1/projects/" + ref);
    EXPECT_EQ(r.status, 404) << ref;
    EXPECT_EQ(error_code(r), "PROJECT_NOT_FOUND") << ref << ": " << r.body;
    auto error = r.json().at("error").as_object();
    EXPECT_EQ(error.at("retryable"), json::value(false));
    EXPECT_TRUE(error.contains("message"));
    EXPECT_TRUE(error.contains("details"));
  }
}

TEST(ProjectsE2e, PhasesAndMilestonesGetShortIds) {
  running_server s;
  auto project = create_project(s.client, "Hierarchy");
  // Short ids follow creation order, not sequence (spec §2.5).
  auto p1 = create_phase(s.client, project, "Build", 5);
  auto p2 = create_phase(s.client, project, "Design", 2);
  EXPECT_EQ(str(p1, "short_id"), "P1");
  EXPECT_EQ(str(p2, "short_id"), "P2");
  EXPECT_EQ(str(p1, "project_id"), project);
  EXPECT_EQ(str(p1, "name"), "Build");
  EXPECT_EQ(p1.at("sequence"), json::value(5));

  auto m11 = create_milestone(s.client, project, str(p1, "id"), "Alpha", 0);
  auto m21 = create_milestone(s.client, project, str(p2, "id"), "Beta", 1);
  auto m12 = create_milestone(s.client, project, str(p1, "id"), "Gamma", 7);
  EXPECT_EQ(str(m11, "short_id"), "P1.M1");
  EXPECT_EQ(str(m21, "short_id"), "P2.M1");
  EXPECT_EQ(str(m12, "short_id"), "P1.M2");
  EXPECT_EQ(str(m21, "phase_id"), str(p2, "id"));
  EXPECT_EQ(str(m21, "project_id"), project);

  auto phases = expect_object(s.client.get("/v1/projects/" + project + "/phases"), 200, "phases");
  EXPECT_EQ(short_ids_of(phases.at("items")), (std::vector<std::string>{"P2", "P1"}));
  auto milestones =
    expect_object(s.client.get("/v1/projects/" + project + "/milestones"), 200, "milestones");
  EXPECT_EQ(short_ids_of(milestones.at("items")),
            (std::vector<std::string>{"P1.M1", "P2.M1", "P1.M2"}));
  auto of_p1 = expect_object(
    s.client.get("/v1/projects/" + project + "/milestones?phase_id=" + str(p1, "id")), 200,
    "milestones of P1");
  EXPECT_EQ(short_ids_of(of_p1.at("items")), (std::vector<std::string>{"P1.M1", "P1.M2"}));

  auto graph = get_graph(s.client, project);
  EXPECT_EQ(short_ids_of(graph.at("phases")), (std::vector<std::string>{"P2", "P1"}));
  EXPECT_EQ(short_ids_of(graph.at("milestones")),
            (std::vector<std::string>{"P1.M1", "P2.M1", "P1.M2"}));
}

TEST(ProjectsE2e, EachProjectCountsShortIdsFromOne) {
  running_server s;
  auto first = setup_h(s.client, "First");
  auto second = setup_h(s.client, "Second");
  auto graph = get_graph(s.client, second.project);
  EXPECT_EQ(short_ids_of(graph.at("phases")), (std::vector<std::string>{"P1"}));
  EXPECT_EQ(short_ids_of(graph.at("milestones")), (std::vector<std::string>{"P1.M1"}));
  EXPECT_NE(first.phase, second.phase);
}

TEST(ProjectsE2e, PhaseSequenceIsUniquePerProject) {
  running_server s;
  auto project = create_project(s.client, "One");
  auto other = create_project(s.client, "Two");
  create_phase(s.client, project, "Phase 1", 0);
  auto again = s.client.post("/v1/projects/" + project + "/phases",
                             json::object{{"name", "Phase again"}, {"sequence", 0}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(error_code(again), "SEQUENCE_CONFLICT") << again.body;
  // Another project may reuse the sequence.
  EXPECT_EQ(str(create_phase(s.client, other, "Phase 1", 0), "short_id"), "P1");
  // The refused phase consumed no short id.
  EXPECT_EQ(str(create_phase(s.client, project, "Phase 2", 1), "short_id"), "P2");
}

TEST(ProjectsE2e, MilestoneSequenceIsUniqueAcrossPhases) {
  running_server s;
  auto project = create_project(s.client, "Milestones");
  auto a = str(create_phase(s.client, project, "A", 0), "id");
  auto b = str(create_phase(s.client, project, "B", 1), "id");
  create_milestone(s.client, project, a, "A1", 0);
  auto path = "/v1/projects/" + project + "/milestones";
  auto same_phase =
    s.client.post(path, json::object{{"name", "A2"}, {"sequence", 0}, {"phase_id", a}});
  EXPECT_EQ(same_phase.status, 409);
  EXPECT_EQ(error_code(same_phase), "SEQUENCE_CONFLICT") << same_phase.body;
  // Spec §18 item 22: the first milestone of a second phase cannot reuse sequence 0.
  auto other_phase =
    s.client.post(path, json::object{{"name", "B1"}, {"sequence", 0}, {"phase_id", b}});
  EXPECT_EQ(other_phase.status, 409);
  EXPECT_EQ(error_code(other_phase), "SEQUENCE_CONFLICT") << other_phase.body;
  EXPECT_EQ(str(create_milestone(s.client, project, b, "B1", 1), "short_id"), "P2.M1");
}

TEST(ProjectsE2e, MilestoneWithoutPhaseNeedsParent) {
  running_server s;
  auto project = create_project(s.client, "Orphans");
  auto path = "/v1/projects/" + project + "/milestones";
  auto missing = s.client.post(path, json::object{{"name", "M"}, {"sequence", 0}});
  EXPECT_EQ(missing.status, 409);
  EXPECT_EQ(error_code(missing), "IDENTIFIER_PARENT_REQUIRED") << missing.body;
  auto null =
    s.client.post(path, json::object{{"name", "M"}, {"sequence", 0}, {"phase_id", nullptr}});
  EXPECT_EQ(null.status, 409);
  EXPECT_EQ(error_code(null), "IDENTIFIER_PARENT_REQUIRED") << null.body;
}

TEST(ProjectsE2e, MilestoneOfUnknownPhaseIsNotFound) {
  running_server s;
  auto project = create_project(s.client, "Mine");
  auto other = setup_h(s.client, "Theirs");
  auto path = "/v1/projects/" + project + "/milestones";
  for (std::string phase : {std::string(nil_uuid), std::string("not-a-valid-uuid"), other.phase}) {
    auto r = s.client.post(path, json::object{{"name", "M"}, {"sequence", 3}, {"phase_id", phase}});
    EXPECT_EQ(r.status, 404) << phase;
    EXPECT_EQ(error_code(r), "PHASE_NOT_FOUND") << phase << ": " << r.body;
  }
  auto milestones = expect_object(s.client.get(path), 200, "milestones");
  EXPECT_TRUE(milestones.at("items").as_array().empty());
}

TEST(ProjectsE2e, NegativeSequenceIsRejected) {
  running_server s;
  auto project = create_project(s.client, "Negative");
  auto phase = s.client.post("/v1/projects/" + project + "/phases",
                             json::object{{"name", "P"}, {"sequence", -1}});
  EXPECT_EQ(phase.status, 422) << phase.body;
  auto phase_id = str(create_phase(s.client, project, "P", 0), "id");
  auto milestone =
    s.client.post("/v1/projects/" + project + "/milestones",
                  json::object{{"name", "M"}, {"sequence", -5}, {"phase_id", phase_id}});
  EXPECT_EQ(milestone.status, 422) << milestone.body;
  auto graph = get_graph(s.client, project);
  EXPECT_EQ(graph.at("phases").as_array().size(), 1u);
  EXPECT_TRUE(graph.at("milestones").as_array().empty());
}

TEST(ProjectsE2e, HierarchyOfUnknownProjectIsNotFound) {
  running_server s;
  for (std::string project : {std::string(nil_uuid), std::string("not-a-valid-uuid")}) {
    auto phase = s.client.post("/v1/projects/" + project + "/phases",
                               json::object{{"name", "P"}, {"sequence", 0}});
    EXPECT_EQ(phase.status, 404) << project;
    EXPECT_EQ(error_code(phase), "PROJECT_NOT_FOUND") << phase.body;
    auto milestone =
      s.client.post("/v1/projects/" + project + "/milestones",
                    json::object{{"name", "M"}, {"sequence", 0}, {"phase_id", nil_uuid}});
    EXPECT_EQ(milestone.status, 404) << project;
    EXPECT_EQ(error_code(milestone), "PROJECT_NOT_FOUND") << milestone.body;
    for (auto part : {"/phases", "/milestones", "/graph"}) {
      auto r = s.client.get("/v1/projects/" + project + part);
      EXPECT_EQ(r.status, 404) << project << part;
      EXPECT_EQ(error_code(r), "PROJECT_NOT_FOUND") << project << part << ": " << r.body;
    }
  }
}

TEST(ProjectsE2e, FreshProjectGraphIsEmpty) {
  running_server s;
  auto project = create_project(s.client, "Fresh");
  auto graph = get_graph(s.client, project);
  EXPECT_EQ(graph.at("project"), s.client.get("/v1/projects/" + project).json());
  for (auto part : {"phases", "milestones", "tasks", "dependencies"})
    EXPECT_EQ(graph.at(part), json::value(json::array{})) << part;
  EXPECT_EQ(graph.size(), 5u) << json::serialize(graph);
}

TEST(ProjectsE2e, OpenApiDocumentListsEveryRoute) {
  running_server s;
  auto r = s.client.get("/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = r.json().as_object();
  EXPECT_EQ(str(doc, "openapi"), "3.1.0");
  ASSERT_TRUE(doc.contains("paths"));
  auto& paths = doc.at("paths").as_object();

  // Every route of the catalogue, with its methods.
  const std::vector<std::pair<std::string, std::string>> routes{
    {"/health", "get"},
    {"/openapi.json", "get"},
    {"/v1/projects", "get"},
    {"/v1/projects", "post"},
    {"/v1/projects/{project_id}", "get"},
    {"/v1/projects/{project_id}/graph", "get"},
    {"/v1/projects/{project_id}/phases", "get"},
    {"/v1/projects/{project_id}/phases", "post"},
    {"/v1/projects/{project_id}/milestones", "get"},
    {"/v1/projects/{project_id}/milestones", "post"},
    {"/v1/tasks", "get"},
    {"/v1/tasks", "post"},
    {"/v1/tasks/{task_id}", "get"},
    {"/v1/dependencies", "post"},
    {"/v1/admin/digest", "get"},
    // Served beside the catalogue, described all the same (issue 16).
    {"/mcp", "post"},
    {"/mcp", "delete"},
    {"/v1/events", "get"},
    {"/v1/events/ws", "get"}};
  for (auto& [path, method] : routes) {
    auto* item = paths.if_contains(path);
    ASSERT_NE(item, nullptr) << path << " is missing from the document";
    EXPECT_TRUE(item->as_object().contains(method)) << method << " " << path;
  }

  // Each documented operation has a unique operationId, and the server answers it: with
  // placeholders in the path it may refuse the input, but never with "no such route".
  std::set<std::string> operation_ids;
  size_t operations = 0;
  for (auto& [path, item] : paths) {
    for (auto& [method, op] : item.as_object()) {
      ++operations;
      auto* id = op.as_object().if_contains("operationId");
      ASSERT_NE(id, nullptr) << method << " " << path;
      ASSERT_TRUE(id->is_string()) << method << " " << path;
      EXPECT_FALSE(id->get_string().empty()) << method << " " << path;
      EXPECT_TRUE(operation_ids.insert(std::string(id->get_string())).second)
        << "duplicate operationId " << id->get_string();

      std::string concrete(path);
      for (auto pos = concrete.find('{'); pos != std::string::npos; pos = concrete.find('{'))
        concrete.replace(pos, concrete.find('}', pos) - pos + 1, nil_uuid);
      // The event streams never end on their own; their routing is tested in EventsE2e.
      if (path == "/v1/events" || path == "/v1/events/ws")
        continue;
      std::string upper;
      for (char c : method)
        upper.push_back(char(std::toupper(static_cast<unsigned char>(c))));
      auto answer = s.client.request(upper, concrete, upper == "POST" ? "{}" : "");
      EXPECT_NE(answer.status, 405) << upper << " " << concrete;
      EXPECT_FALSE(answer.status == 404 && answer.body == R"({"detail":"Not Found"})")
        << upper << " " << concrete << " is documented but not routed";
    }
  }
  // More operations may come; none of the known ones may go.
  EXPECT_GE(operations, routes.size());
}

}  // namespace
}  // namespace tascade::test

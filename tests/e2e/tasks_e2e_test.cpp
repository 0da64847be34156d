// End-to-end: task creation, lookup by UUID and short id, listing with filters, dependencies
// and the project graph, against the real tascaded (spec §5.6, §5.7, §7.2, §13.2, §19 7-11,
// 32-37, 58-62, 101).

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

json::object list_tasks(http_client& c, const std::string& query) {
  return expect_object(c.get("/v1/tasks?" + query), 200, "list tasks " + query);
}

// ---- creation ---------------------------------------------------------------------------------

TEST(TasksE2e, CreateReturnsReadyTaskWithShortId) {
  running_server s;
  auto h = setup_h(s.client);
  auto body = task_body(h.project, h.milestone, "First task");
  body["work_spec"] = json::object{{"objective", "Ship it"},
                                   {"acceptance_criteria", json::array{"tests pass"}},
                                   {"constraints", json::array{"no new deps"}},
                                   {"candidate_task_ids", json::array{unknown_uuid}},
                                   {"policy_trigger", "risk_overlap"},
                                   {"anything", json::object{{"nested", 1}}}};
  auto r = s.client.post("/v1/tasks", body);
  auto task = expect_object(r, 201, "create task");

  EXPECT_EQ(str(task, "short_id"), "P1.M1.T1");
  EXPECT_EQ(str(task, "state"), "ready");
  EXPECT_EQ(str(task, "project_id"), h.project);
  EXPECT_EQ(str(task, "phase_id"), h.phase);  // inferred from the milestone
  EXPECT_EQ(str(task, "milestone_id"), h.milestone);
  EXPECT_EQ(str(task, "title"), "First task");
  EXPECT_EQ(str(task, "task_class"), "backend");
  EXPECT_EQ(task.at("priority"), json::value(100));
  EXPECT_EQ(task.at("description"), json::value(nullptr));
  EXPECT_EQ(task.at("version"), json::value(0));
  EXPECT_EQ(task.at("introduced_in_plan_version"), json::value(nullptr));
  EXPECT_EQ(task.at("deprecated_in_plan_version"), json::value(nullptr));
  for (auto list : {"capability_tags", "expected_touches", "exclusive_paths", "shared_paths"})
    EXPECT_EQ(task.at(list), json::value(json::array{})) << list;
  EXPECT_EQ(task.size(), 20u) << json::serialize(task);

  // Exactly the five WorkSpec keys: missing lists become [], every other key is dropped.
  json::value expected_spec{{"objective", "Ship it"},
                            {"constraints", json::array{"no new deps"}},
                            {"acceptance_criteria", json::array{"tests pass"}},
                            {"interfaces", json::array{}},
                            {"path_hints", json::array{}}};
  EXPECT_EQ(task.at("work_spec"), expected_spec);
  // The drop happens before storage: the graph, which shows the stored object, agrees.
  auto graph = get_graph(s.client, h.project);
  ASSERT_EQ(graph.at("tasks").as_array().size(), 1u);
  EXPECT_EQ(graph.at("tasks").at(0).at("work_spec"), expected_spec);

  EXPECT_EQ(str(create_task(s.client, h.project, h.milestone, "Second"), "short_id"), "P1.M1.T2");
  auto m2 = str(create_milestone(s.client, h.project, h.phase, "Milestone 2", 1), "id");
  EXPECT_EQ(str(create_task(s.client, h.project, m2, "Elsewhere"), "short_id"), "P1.M2.T1");
}

TEST(TasksE2e, CreateKeepsOptionalFields) {
  running_server s;
  auto h = setup_h(s.client);
  auto task = create_task(s.client, h.project, h.milestone, "Full",
                          {{"description", "Longer text"},
                           {"priority", 7},
                           {"task_class", "db_schema"},
                           {"phase_id", h.phase},
                           {"capability_tags", json::array{"backend", "sql"}},
                           {"expected_touches", json::array{"db/schema.sql"}},
                           {"exclusive_paths", json::array{"db/"}},
                           {"shared_paths", json::array{"docs/"}}});
  EXPECT_EQ(str(task, "description"), "Longer text");
  EXPECT_EQ(task.at("priority"), json::value(7));
  EXPECT_EQ(str(task, "task_class"), "db_schema");
  EXPECT_EQ(task.at("capability_tags"), (json::value(json::array{"backend", "sql"})));
  EXPECT_EQ(task.at("expected_touches"), (json::value(json::array{"db/schema.sql"})));
  EXPECT_EQ(task.at("exclusive_paths"), (json::value(json::array{"db/"})));
  EXPECT_EQ(task.at("shared_paths"), (json::value(json::array{"docs/"})));
}

TEST(TasksE2e, CreateWithoutMilestoneNeedsParent) {
  running_server s;
  auto h = setup_h(s.client);
  auto body = task_body(h.project, h.milestone, "Orphan");
  body.erase("milestone_id");
  auto missing = s.client.post("/v1/tasks", body);
  EXPECT_EQ(missing.status, 409);
  EXPECT_EQ(error_code(missing), "IDENTIFIER_PARENT_REQUIRED") << missing.body;
  body["milestone_id"] = nullptr;
  auto null = s.client.post("/v1/tasks", body);
  EXPECT_EQ(null.status, 409);
  EXPECT_EQ(error_code(null), "IDENTIFIER_PARENT_REQUIRED") << null.body;
}

TEST(TasksE2e, CreateInUnknownMilestoneIsNotFound) {
  running_server s;
  auto h = setup_h(s.client, "Mine");
  auto other = setup_h(s.client, "Theirs");
  for (std::string milestone : {std::string(unknown_uuid), std::string("not-a-valid-uuid"),
                                other.milestone}) {
    auto r = s.client.post("/v1/tasks", task_body(h.project, milestone, "Lost"));
    EXPECT_EQ(r.status, 404) << milestone;
    EXPECT_EQ(error_code(r), "MILESTONE_NOT_FOUND") << milestone << ": " << r.body;
  }
  EXPECT_EQ(list_tasks(s.client, "project_id=" + h.project).at("total"), json::value(0));
  EXPECT_EQ(list_tasks(s.client, "project_id=" + other.project).at("total"), json::value(0));
}

TEST(TasksE2e, PhaseMustBeTheMilestonesPhase) {
  running_server s;
  auto h = setup_h(s.client);
  auto phase_b = str(create_phase(s.client, h.project, "Phase B", 1), "id");
  auto r = s.client.post("/v1/tasks",
                         task_body(h.project, h.milestone, "Mismatch", {{"phase_id", phase_b}}));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "PHASE_MILESTONE_MISMATCH") << r.body;
  auto ok = create_task(s.client, h.project, h.milestone, "Match", {{"phase_id", h.phase}});
  EXPECT_EQ(str(ok, "phase_id"), h.phase);
  // The refused task consumed no number.
  EXPECT_EQ(str(ok, "short_id"), "P1.M1.T1");
}

TEST(TasksE2e, CreateInUnknownProjectIsNotFound) {
  running_server s;
  auto h = setup_h(s.client);
  for (std::string project : {std::string(nil_uuid), std::string("not-a-valid-uuid")}) {
    auto r = s.client.post("/v1/tasks", task_body(project, h.milestone, "Nowhere"));
    EXPECT_EQ(r.status, 404) << project;
    EXPECT_EQ(error_code(r), "PROJECT_NOT_FOUND") << project << ": " << r.body;
  }
}

TEST(TasksE2e, InvalidBodiesAreRejectedWith422) {
  running_server s;
  auto h = setup_h(s.client);
  auto spec = [](json::object extra) {
    json::object ws{{"objective", "o"}, {"acceptance_criteria", json::array{"a"}}};
    for (auto& [k, v] : extra)
      ws[k] = v;
    return ws;
  };
  struct bad_case {
    const char* name;
    json::object body;
  };
  auto with = [&](json::object extra) { return task_body(h.project, h.milestone, "Bad", extra); };
  auto without = [&](const char* key) {
    auto b = task_body(h.project, h.milestone, "Bad");
    b.erase(key);
    return b;
  };
  json::object no_objective{{"acceptance_criteria", json::array{"a"}}};
  json::object no_criteria{{"objective", "o"}};
  std::vector<bad_case> cases{
    {"unknown task_class", with({{"task_class", "code"}})},
    {"task_class not a string", with({{"task_class", 3}})},
    {"missing task_class", without("task_class")},
    {"missing work_spec", without("work_spec")},
    {"work_spec not an object", with({{"work_spec", "do it"}})},
    {"work_spec without objective", with({{"work_spec", no_objective}})},
    {"work_spec without acceptance_criteria", with({{"work_spec", no_criteria}})},
    {"objective not a string", with({{"work_spec", spec({{"objective", 5}})}})},
    {"acceptance_criteria not a list", with({{"work_spec", spec({{"acceptance_criteria", "a"}})}})},
    {"acceptance_criteria of numbers",
     with({{"work_spec", spec({{"acceptance_criteria", json::array{1, 2}}})}})},
    {"constraints not a list", with({{"work_spec", spec({{"constraints", true}})}})},
    {"missing title", without("title")},
    {"empty title", with({{"title", ""}})},
    {"title not a string", with({{"title", 12}})},
    {"priority not an integer", with({{"priority", "high"}})},
    {"priority fractional", with({{"priority", 1.5}})},
    {"capability_tags of numbers", with({{"capability_tags", json::array{1}}})},
    {"shared_paths not a list", with({{"shared_paths", "src/"}})},
    {"missing project_id", without("project_id")},
    {"project_id not a string", with({{"project_id", 42}})},
    {"milestone_id not a string", with({{"milestone_id", 42}})},
  };
  for (auto& c : cases) {
    auto r = s.client.post("/v1/tasks", c.body);
    EXPECT_EQ(r.status, 422) << c.name << ": " << r.body;
    if (r.status == 422) {
      auto v = r.json();
      EXPECT_TRUE(v.as_object().contains("detail")) << c.name << ": " << r.body;
    }
  }
  EXPECT_EQ(list_tasks(s.client, "project_id=" + h.project).at("total"), json::value(0));
  // Nothing consumed a task number either.
  EXPECT_EQ(str(create_task(s.client, h.project, h.milestone, "Good"), "short_id"), "P1.M1.T1");
}

// ---- lookup -----------------------------------------------------------------------------------

TEST(TasksE2e, GetByUuidAndByShortId) {
  running_server s;
  auto h = setup_h(s.client);
  auto created = create_task(s.client, h.project, h.milestone, "Find me");
  auto by_uuid = s.client.get("/v1/tasks/" + str(created, "id"));
  ASSERT_EQ(by_uuid.status, 200) << by_uuid.body;
  EXPECT_EQ(by_uuid.json(), json::value(created));
  auto by_short = s.client.get("/v1/tasks/P1.M1.T1");
  ASSERT_EQ(by_short.status, 200) << by_short.body;
  EXPECT_EQ(by_short.json(), json::value(created));
}

TEST(TasksE2e, ShortIdOfTwoProjectsIsAmbiguous) {
  running_server s;
  auto a = setup_h(s.client, "A");
  auto b = setup_h(s.client, "B");
  auto ta = create_task(s.client, a.project, a.milestone, "Task A");
  auto tb = create_task(s.client, b.project, b.milestone, "Task B");
  ASSERT_EQ(str(ta, "short_id"), str(tb, "short_id"));
  auto r = s.client.get("/v1/tasks/P1.M1.T1");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "TASK_REF_AMBIGUOUS") << r.body;
  // UUIDs stay unambiguous, and a short id held by one project only resolves.
  EXPECT_EQ(s.client.get("/v1/tasks/" + str(tb, "id")).status, 200);
  auto only_a = create_task(s.client, a.project, a.milestone, "Second A");
  auto unique = s.client.get("/v1/tasks/P1.M1.T2");
  ASSERT_EQ(unique.status, 200) << unique.body;
  EXPECT_EQ(str(unique.json().as_object(), "id"), str(only_a, "id"));
}

TEST(TasksE2e, UnknownTaskIsNotFound) {
  running_server s;
  auto h = setup_h(s.client);
  create_task(s.client, h.project, h.milestone, "Present");
  for (std::string ref : {std::string(unknown_uuid), std::string(nil_uuid),
                          std::string("P9.M9.T9"), std::string("not-a-task")}) {
    auto r = s.client.get("/v1/tasks/" + ref);
    EXPECT_EQ(r.status, 404) << ref;
    EXPECT_EQ(error_code(r), "TASK_NOT_FOUND") << ref << ": " << r.body;
  }
}

// ---- listing (spec §19 scenarios 32-37) -------------------------------------------------------

// Phases A (seq 0) and B (seq 1); milestones A (seq 0, phase A) and B (seq 1, phase B);
// T1 [backend] and T2 [frontend] in A, T3 [backend, api] in B.
struct listing_world {
  std::string project, phase_a, phase_b;
  std::string t1, t2, t3;
};

listing_world make_listing_world(http_client& c) {
  listing_world w;
  w.project = create_project(c, "Listing");
  w.phase_a = str(create_phase(c, w.project, "Phase A", 0), "id");
  w.phase_b = str(create_phase(c, w.project, "Phase B", 1), "id");
  auto ma = str(create_milestone(c, w.project, w.phase_a, "Milestone A", 0), "id");
  auto mb = str(create_milestone(c, w.project, w.phase_b, "Milestone B", 1), "id");
  w.t1 = str(create_task(c, w.project, ma, "T1", {{"capability_tags", json::array{"backend"}}}),
             "id");
  w.t2 = str(create_task(c, w.project, ma, "T2", {{"capability_tags", json::array{"frontend"}}}),
             "id");
  w.t3 = str(create_task(c, w.project, mb, "T3",
                         {{"capability_tags", json::array{"backend", "api"}}}),
             "id");
  return w;
}

TEST(TasksE2e, ListReturnsAllTasksInOrder) {
  running_server s;
  auto w = make_listing_world(s.client);
  auto page = list_tasks(s.client, "project_id=" + w.project);
  EXPECT_EQ(page.at("total"), json::value(3));
  EXPECT_EQ(page.at("limit"), json::value(50));
  EXPECT_EQ(page.at("offset"), json::value(0));
  EXPECT_EQ(ids_of(page.at("items")), (std::vector<std::string>{w.t1, w.t2, w.t3}));
  for (auto& item : page.at("items").as_array()) {
    EXPECT_EQ(item.at("score"), json::value(nullptr));
    EXPECT_EQ(item.at("work_spec").as_object().size(), 5u);
  }
}

TEST(TasksE2e, ListFiltersByState) {
  running_server s;
  auto w = make_listing_world(s.client);
  // Scenario 33 moves T2 to in_progress first; state transitions do not exist yet, so every
  // task is ready and the filter must separate ready from everything else.
  auto ready = list_tasks(s.client, "project_id=" + w.project + "&state=ready");
  EXPECT_EQ(ready.at("total"), json::value(3));
  EXPECT_EQ(ids_of(ready.at("items")), (std::vector<std::string>{w.t1, w.t2, w.t3}));
  auto in_progress = list_tasks(s.client, "project_id=" + w.project + "&state=in_progress");
  EXPECT_EQ(in_progress.at("total"), json::value(0));
  EXPECT_TRUE(in_progress.at("items").as_array().empty());
}

TEST(TasksE2e, ListFiltersByPhase) {
  running_server s;
  auto w = make_listing_world(s.client);
  auto a = list_tasks(s.client, "project_id=" + w.project + "&phase_id=" + w.phase_a);
  EXPECT_EQ(a.at("total"), json::value(2));
  EXPECT_EQ(id_set(a.at("items")), (std::set<std::string>{w.t1, w.t2}));
  auto b = list_tasks(s.client, "project_id=" + w.project + "&phase_id=" + w.phase_b);
  EXPECT_EQ(ids_of(b.at("items")), (std::vector<std::string>{w.t3}));
  for (std::string phase : {std::string(unknown_uuid), std::string("not-a-phase")}) {
    auto none = list_tasks(s.client, "project_id=" + w.project + "&phase_id=" + phase);
    EXPECT_EQ(none.at("total"), json::value(0)) << phase;
  }
}

TEST(TasksE2e, ListFiltersByCapability) {
  running_server s;
  auto w = make_listing_world(s.client);
  auto backend = list_tasks(s.client, "project_id=" + w.project + "&capability=backend");
  EXPECT_EQ(backend.at("total"), json::value(2));
  EXPECT_EQ(id_set(backend.at("items")), (std::set<std::string>{w.t1, w.t3}));
  auto api = list_tasks(s.client, "project_id=" + w.project + "&capability=api");
  EXPECT_EQ(ids_of(api.at("items")), (std::vector<std::string>{w.t3}));
  auto none = list_tasks(s.client, "project_id=" + w.project + "&capability=back");
  EXPECT_EQ(none.at("total"), json::value(0));
  auto combined = list_tasks(s.client, "project_id=" + w.project + "&capability=backend" +
                                         "&phase_id=" + w.phase_a + "&state=ready");
  EXPECT_EQ(ids_of(combined.at("items")), (std::vector<std::string>{w.t1}));
}

TEST(TasksE2e, ListPaginatesAfterFiltering) {
  running_server s;
  auto w = make_listing_world(s.client);
  auto page = list_tasks(s.client, "project_id=" + w.project + "&limit=1&offset=1");
  EXPECT_EQ(page.at("total"), json::value(3));
  EXPECT_EQ(page.at("limit"), json::value(1));
  EXPECT_EQ(page.at("offset"), json::value(1));
  EXPECT_EQ(ids_of(page.at("items")), (std::vector<std::string>{w.t2}));
  auto past_end = list_tasks(s.client, "project_id=" + w.project + "&offset=5");
  EXPECT_EQ(past_end.at("total"), json::value(3));
  EXPECT_TRUE(past_end.at("items").as_array().empty());
  auto zero = list_tasks(s.client, "project_id=" + w.project + "&limit=0");
  EXPECT_EQ(zero.at("total"), json::value(3));
  EXPECT_TRUE(zero.at("items").as_array().empty());
  auto filtered =
    list_tasks(s.client, "project_id=" + w.project + "&capability=backend&limit=1&offset=1");
  EXPECT_EQ(filtered.at("total"), json::value(2));
  EXPECT_EQ(ids_of(filtered.at("items")), (std::vector<std::string>{w.t3}));
}

TEST(TasksE2e, ListOrdersByPriorityThenCreation) {
  running_server s;
  auto h = setup_h(s.client);
  auto late_urgent = [&](const char* title, int priority) {
    return str(create_task(s.client, h.project, h.milestone, title, {{"priority", priority}}),
               "id");
  };
  auto a = late_urgent("a", 100);
  auto b = late_urgent("b", 50);
  auto c = late_urgent("c", 100);
  auto d = late_urgent("d", -3);
  auto e = late_urgent("e", 50);
  auto page = list_tasks(s.client, "project_id=" + h.project);
  EXPECT_EQ(ids_of(page.at("items")), (std::vector<std::string>{d, b, e, a, c}));
}

TEST(TasksE2e, UnknownStateFilterIsInvalidState) {
  running_server s;
  auto w = make_listing_world(s.client);
  auto r = s.client.get("/v1/tasks?project_id=" + w.project + "&state=not_a_state");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "INVALID_STATE") << r.body;
}

TEST(TasksE2e, ListRejectsBadParameters) {
  running_server s;
  auto w = make_listing_world(s.client);
  for (std::string query : {"limit=-1", "offset=-1", "limit=abc", "offset=1.5"}) {
    auto r = s.client.get("/v1/tasks?project_id=" + w.project + "&" + query);
    EXPECT_EQ(r.status, 422) << query << ": " << r.body;
  }
  auto missing = s.client.get("/v1/tasks");
  EXPECT_EQ(missing.status, 422) << missing.body;
  for (std::string project : {std::string(nil_uuid), std::string("not-a-valid-uuid")}) {
    auto r = s.client.get("/v1/tasks?project_id=" + project);
    EXPECT_EQ(r.status, 404) << project;
    EXPECT_EQ(error_code(r), "PROJECT_NOT_FOUND") << project << ": " << r.body;
  }
}

// ---- dependencies -----------------------------------------------------------------------------

TEST(TasksE2e, DependencyIsCreated) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = str(create_task(s.client, h.project, h.milestone, "A"), "id");
  auto b = str(create_task(s.client, h.project, h.milestone, "B"), "id");
  auto r = post_edge(s.client, h.project, a, b, "integrated");
  auto edge = expect_object(r, 201, "edge");
  EXPECT_EQ(str(edge, "project_id"), h.project);
  EXPECT_EQ(str(edge, "from_task_id"), a);
  EXPECT_EQ(str(edge, "to_task_id"), b);
  EXPECT_EQ(str(edge, "unlock_on"), "integrated");
  EXPECT_EQ(str(edge, "id").size(), 36u);
  EXPECT_FALSE(str(edge, "created_at").empty());

  auto graph = get_graph(s.client, h.project);
  ASSERT_EQ(graph.at("dependencies").as_array().size(), 1u);
  EXPECT_EQ(graph.at("dependencies").at(0), json::value(edge));
}

TEST(TasksE2e, SelfDependencyIsACycleEvenForUnknownTasks) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = str(create_task(s.client, h.project, h.milestone, "A"), "id");
  for (std::string id : {a, std::string(unknown_uuid), std::string("no-such-task")}) {
    auto r = post_edge(s.client, h.project, id, id);
    EXPECT_EQ(r.status, 409) << id;
    EXPECT_EQ(error_code(r), "CYCLE_DETECTED") << id << ": " << r.body;
  }
  // Checked before anything else, so even an unknown project gives the cycle.
  auto r = post_edge(s.client, nil_uuid, unknown_uuid, unknown_uuid);
  EXPECT_EQ(error_code(r), "CYCLE_DETECTED") << r.body;
}

TEST(TasksE2e, EdgeClosingACycleIsRefused) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = str(create_task(s.client, h.project, h.milestone, "A"), "id");
  auto b = str(create_task(s.client, h.project, h.milestone, "B"), "id");
  auto c = str(create_task(s.client, h.project, h.milestone, "C"), "id");
  create_edge(s.client, h.project, a, b);
  create_edge(s.client, h.project, b, c);
  auto closing = post_edge(s.client, h.project, c, a);
  EXPECT_EQ(closing.status, 409);
  EXPECT_EQ(error_code(closing), "CYCLE_DETECTED") << closing.body;
  auto back = post_edge(s.client, h.project, b, a, "integrated");
  EXPECT_EQ(back.status, 409);
  EXPECT_EQ(error_code(back), "CYCLE_DETECTED") << back.body;
  // A shortcut in the edges' direction closes no cycle.
  EXPECT_EQ(post_edge(s.client, h.project, a, c).status, 201);
  EXPECT_EQ(get_graph(s.client, h.project).at("dependencies").as_array().size(), 3u);
}

TEST(TasksE2e, DependencyOnUnknownTaskIsNotFound) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = str(create_task(s.client, h.project, h.milestone, "A"), "id");
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
         {a, unknown_uuid}, {unknown_uuid, a}, {a, "not-a-uuid"}}) {
    auto r = post_edge(s.client, h.project, from, to);
    EXPECT_EQ(r.status, 404) << from << " -> " << to;
    EXPECT_EQ(error_code(r), "TASK_NOT_FOUND") << from << " -> " << to << ": " << r.body;
  }
}

TEST(TasksE2e, DependencyAcrossProjectsIsAMismatch) {
  running_server s;
  auto p = setup_h(s.client, "P");
  auto q = setup_h(s.client, "Q");
  auto a = str(create_task(s.client, p.project, p.milestone, "A"), "id");
  auto b = str(create_task(s.client, p.project, p.milestone, "B"), "id");
  auto x = str(create_task(s.client, q.project, q.milestone, "X"), "id");
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{{a, x}, {x, a}}) {
    auto r = post_edge(s.client, p.project, from, to);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(error_code(r), "PROJECT_MISMATCH") << r.body;
  }
  // Both tasks of P, but the edge named in Q.
  auto wrong_project = post_edge(s.client, q.project, a, b);
  EXPECT_EQ(error_code(wrong_project), "PROJECT_MISMATCH") << wrong_project.body;
  // No project check of its own: a missing project shows as a mismatch of its tasks.
  auto missing_project = post_edge(s.client, nil_uuid, a, b);
  EXPECT_EQ(missing_project.status, 409);
  EXPECT_EQ(error_code(missing_project), "PROJECT_MISMATCH") << missing_project.body;
}

TEST(TasksE2e, DuplicateDependencyIsRefused) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = str(create_task(s.client, h.project, h.milestone, "A"), "id");
  auto b = str(create_task(s.client, h.project, h.milestone, "B"), "id");
  create_edge(s.client, h.project, a, b, "implemented");
  for (auto unlock : {"implemented", "integrated"}) {
    auto r = post_edge(s.client, h.project, a, b, unlock);
    EXPECT_EQ(r.status, 409) << unlock;
    EXPECT_EQ(error_code(r), "DEPENDENCY_EXISTS") << unlock << ": " << r.body;
  }
}

TEST(TasksE2e, RefusedDependenciesWriteNothing) {
  running_server s;
  auto h = setup_h(s.client);
  auto other = setup_h(s.client, "Other");
  auto a = str(create_task(s.client, h.project, h.milestone, "A"), "id");
  auto b = str(create_task(s.client, h.project, h.milestone, "B"), "id");
  auto x = str(create_task(s.client, other.project, other.milestone, "X"), "id");
  create_edge(s.client, h.project, a, b);
  auto digest_before = get_digest(s.client);
  auto graph_before = get_graph(s.client, h.project);

  EXPECT_EQ(error_code(post_edge(s.client, h.project, a, a)), "CYCLE_DETECTED");
  EXPECT_EQ(error_code(post_edge(s.client, h.project, b, a)), "CYCLE_DETECTED");
  EXPECT_EQ(error_code(post_edge(s.client, h.project, a, unknown_uuid)), "TASK_NOT_FOUND");
  EXPECT_EQ(error_code(post_edge(s.client, h.project, a, x)), "PROJECT_MISMATCH");
  EXPECT_EQ(error_code(post_edge(s.client, h.project, a, b)), "DEPENDENCY_EXISTS");
  EXPECT_EQ(post_edge(s.client, h.project, b, a, "whenever").status, 422);

  auto graph_after = get_graph(s.client, h.project);
  EXPECT_EQ(graph_after.at("dependencies").as_array().size(), 1u);
  EXPECT_EQ(graph_after, graph_before);
  EXPECT_EQ(get_digest(s.client), digest_before);
}

TEST(TasksE2e, DependencyWithBadUnlockOnIsRejected) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = str(create_task(s.client, h.project, h.milestone, "A"), "id");
  auto b = str(create_task(s.client, h.project, h.milestone, "B"), "id");
  EXPECT_EQ(post_edge(s.client, h.project, a, b, "done").status, 422);
  auto missing = s.client.post("/v1/dependencies", json::object{{"project_id", h.project},
                                                                {"from_task_id", a},
                                                                {"to_task_id", b}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_TRUE(get_graph(s.client, h.project).at("dependencies").as_array().empty());
}

// ---- graph --------------------------------------------------------------------------------------

TEST(TasksE2e, GraphShowsTheHierarchyTasksAndEdges) {
  running_server s;
  auto h = setup_h(s.client, "Graph");
  auto a = create_task(s.client, h.project, h.milestone, "A");
  auto b = create_task(s.client, h.project, h.milestone, "B");
  auto edge = create_edge(s.client, h.project, str(a, "id"), str(b, "id"));
  auto graph = get_graph(s.client, h.project);
  EXPECT_EQ(str(graph.at("project").as_object(), "id"), h.project);
  EXPECT_EQ(str(graph.at("project").as_object(), "name"), "Graph");
  ASSERT_EQ(graph.at("phases").as_array().size(), 1u);
  EXPECT_EQ(graph.at("phases").at(0).at("name"), json::value("Phase 1"));
  ASSERT_EQ(graph.at("milestones").as_array().size(), 1u);
  EXPECT_EQ(graph.at("milestones").at(0).at("name"), json::value("Milestone 1"));
  EXPECT_EQ(ids_of(graph.at("tasks")), (std::vector<std::string>{str(a, "id"), str(b, "id")}));
  ASSERT_EQ(graph.at("dependencies").as_array().size(), 1u);
  EXPECT_EQ(graph.at("dependencies").at(0), json::value(edge));
}

TEST(TasksE2e, GraphIncludeCompletedKeepsReadyTasks) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = str(create_task(s.client, h.project, h.milestone, "A"), "id");
  auto b = str(create_task(s.client, h.project, h.milestone, "B"), "id");
  auto c = str(create_task(s.client, h.project, h.milestone, "C"), "id");
  create_edge(s.client, h.project, a, b);
  create_edge(s.client, h.project, b, c);
  // Only creation exists so far: no task is terminal, so every variant shows everything.
  auto by_default = get_graph(s.client, h.project);
  EXPECT_EQ(ids_of(by_default.at("tasks")), (std::vector<std::string>{a, b, c}));
  EXPECT_EQ(by_default.at("dependencies").as_array().size(), 2u);
  for (std::string query : {"?include_completed=false", "?include_completed=true",
                            "?include_completed=0", "?include_completed=OFF",
                            "?include_completed=yes"}) {
    auto graph = get_graph(s.client, h.project, query);
    EXPECT_EQ(graph, by_default) << query;
  }
}

TEST(TasksE2e, GraphRejectsABadBoolean) {
  running_server s;
  auto project = create_project(s.client, "Bool");
  auto r = s.client.get("/v1/projects/" + project + "/graph?include_completed=maybe");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(r.json().as_object().contains("detail")) << r.body;
}

}  // namespace
}  // namespace tascade::test

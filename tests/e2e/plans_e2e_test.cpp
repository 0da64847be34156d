// End-to-end: the planner over HTTP against the real tascaded (issue 17; PLANNER-SPEC §1, §9,
// §11). A plan is made from a PRD and a contract, read back (summary, tasks.json, graph,
// report), applied to a project as one changeset, worked on by an agent, and rerun against a
// changed contract: the changeset it proposes reopens exactly the affected tasks. Plus the
// spec's HTTP scenarios T27, T28, T30–T33, T35 and the executor callback, and replay.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

const std::string prd = "# Overview\nThe service manages widgets.";

// The spec's sample contract (§11).
json::object sample_contract() {
  return json::parse(
           R"({"openapi":"3.1.0","info":{"title":"Sample API","version":"1.0.0"},)"
           R"("paths":{"/widgets":{"get":{"operationId":"listWidgets","summary":"List widgets"},)"
           R"("post":{"operationId":"createWidget","summary":"Create widget"}}},)"
           R"("components":{"schemas":{"Widget":{"type":"object","properties":)"
           R"({"id":{"type":"string"},"name":{"type":"string"}}}}}})")
    .as_object();
}

// The sample contract after a change: Widget gains a property, and a Gadget schema with its
// own tagged operation arrives.
json::object changed_contract() {
  auto c = sample_contract();
  c["paths"].as_object()["/gadgets"] = {
    {"get", {{"operationId", "listGadgets"}, {"summary", "List gadgets"},
             {"tags", json::array{"Gadgets"}}}}};
  auto& schemas = c["components"].as_object()["schemas"].as_object();
  schemas["Widget"].as_object()["properties"].as_object()["price"] = {{"type", "number"}};
  schemas["Gadget"] = {{"type", "object"}, {"properties", {{"id", {{"type", "string"}}}}}};
  return c;
}

json::object plan_body(std::string run, json::object contract = sample_contract()) {
  return {{"projectId", "proj-123"},
          {"runId", std::move(run)},
          {"prd", {{"text", prd}}},
          {"contract", {{"document", std::move(contract)}}}};
}

json::object create_plan(http_client& c, const json::object& body) {
  return expect_object(c.post("/plans", body), 201, "POST /plans");
}

json::array tasks_json(http_client& c, const std::string& plan) {
  auto r = c.get("/plans/" + plan + "/tasks.json");
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json().as_array();
}

std::vector<std::string> titles_of(const json::array& tasks) {
  std::vector<std::string> out;
  for (auto& t : tasks)
    out.emplace_back(t.at("title").as_string());
  return out;
}

std::string detail_of(const http_response& r) {
  auto v = r.json();
  auto* d = v.is_object() ? v.as_object().if_contains("detail") : nullptr;
  return d && d->is_string() ? std::string(d->get_string()) : std::string();
}

std::string task_state(http_client& c, const std::string& task) {
  auto t = expect_object(c.get("/v1/tasks/" + task), 200, "GET task");
  return str(t, "state");
}

TEST(PlansE2e, CreateReadAndRerunFollowTheSpec) {
  running_server s;
  auto& c = s.client;
  auto plan = create_plan(c, plan_body("run-1"));
  EXPECT_EQ(str(plan, "projectId"), "proj-123");
  EXPECT_EQ(str(plan, "runId"), "run-1");
  EXPECT_EQ(str(plan, "status"), "Winning");
  EXPECT_EQ(plan.at("coverage"), (json::value{{"missingOperations", json::array{}},
                                              {"totalOperations", 2}}));
  EXPECT_EQ(str(plan, "reportRef").rfind("sha256:", 0), 0u);
  auto id = str(plan, "id");

  // T02: tasks.json in order with the worked CCS values and dependencies.
  auto tasks = tasks_json(c, id);
  ASSERT_EQ(tasks.size(), 5u);
  EXPECT_EQ(titles_of(tasks),
            (std::vector<std::string>{"Request: provision repository scaffold",
                                      "Design and migrate Widget table",
                                      "Implement backend handlers for default",
                                      "Construct integration and contract tests",
                                      "Finalize deployment package"}));
  const double ccs[] = {31.5, 56.5, 51.5, 56.5, 31.5};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(tasks[i].at("complexity").at("score_0_100").to_number<double>(), ccs[i]) << i;
    EXPECT_EQ(tasks[i].at("contextBudgetTokens").to_number<int64_t>(), 2000);
    EXPECT_EQ(tasks[i].at("modelClass"), json::value("Class-200K"));
    EXPECT_FALSE(tasks[i].as_object().contains("workSpec")) << "project fields stay internal";
  }
  EXPECT_EQ(tasks[3].at("dependencies"), (json::array{tasks[2].at("id"), tasks[1].at("id")}));

  // T03: the graph.
  auto graph = expect_object(c.get("/plans/" + id + "/graph"), 200, "graph");
  EXPECT_EQ(graph.at("nodes").as_array().size(), 5u);
  ASSERT_EQ(graph.at("edges").as_array().size(), 5u);
  EXPECT_EQ(graph.at("edges").at(0).at("description"), json::value("Repo ready"));

  // T04: the report, keys sorted.
  auto report = expect_object(c.get("/plans/" + id + "/report"), 200, "report");
  EXPECT_EQ(str(report, "planId"), id);
  EXPECT_EQ(report.at("summary").at("dag").at("depth").to_number<int64_t>(), 5);
  EXPECT_EQ(report.begin()->key(), "ccs");

  // T27: a rerun is a new plan with the same tasks; the original is unchanged.
  auto rerun = expect_object(c.post("/plans/" + id + "/rerun", json::object{}), 200, "rerun");
  EXPECT_NE(str(rerun, "id"), id);
  EXPECT_NE(str(rerun, "runId"), "run-1");
  EXPECT_EQ(str(rerun, "runId").size(), 36u);
  EXPECT_EQ(str(rerun, "projectId"), "proj-123");
  EXPECT_EQ(str(rerun, "status"), "Winning");
  EXPECT_EQ(str(rerun, "rerunOf"), id);
  auto again = tasks_json(c, str(rerun, "id"));
  EXPECT_EQ(titles_of(again), titles_of(tasks));
  for (size_t i = 0; i < 5; ++i)
    EXPECT_EQ(again[i].at("complexity"), tasks[i].at("complexity"));
  EXPECT_EQ(expect_object(c.get("/plans/" + id), 200, "original"), plan);

  // The executor callback (spec §1.9): artifacts appended, a context card recorded.
  auto node = std::string(tasks[2].at("id").as_string());
  auto cb = expect_object(
    c.post("/executor/callbacks/" + node,
           json::object{{"status", "done"}, {"artifactsOut", json::array{{{"uri", "git:abc"}}}}}),
    200, "callback");
  EXPECT_EQ(str(cb, "status"), "done");
  EXPECT_EQ(str(cb, "contextCardId").size(), 36u);
  auto after = tasks_json(c, id);
  ASSERT_EQ(after[2].at("artifactsOut").as_array().size(), 1u);
  EXPECT_EQ(after[2].at("artifactsOut").at(0), (json::value{{"uri", "git:abc"}}));

  // T35: the seed's health probe.
  auto health = expect_object(c.get("/healthz"), 200, "healthz");
  EXPECT_EQ(health, (json::object{{"status", "ok"}, {"environment", "dev"}}));

  // Replay rebuilds the plans: the digest covers them.
  auto live = get_digest(c);
  ASSERT_EQ(s.server.stop(), 0) << s.server.output();
  auto rebuilt = run_tool_json({"replay", "rebuild", "--data", s.data.str()});
  EXPECT_EQ(rebuilt.at("digest"), live.at("digest"));
  server_process restarted(s.data.str());
  auto client = restarted.client();
  EXPECT_EQ(get_digest(client), live);
  EXPECT_EQ(tasks_json(client, id), after);
}

TEST(PlansE2e, RefusalsUseTheErrorEnvelopeAndWriteNothing) {
  running_server s;
  auto& c = s.client;
  auto head = get_digest(c).at("checkpoint");

  // T28: unknown plans and tasks.
  for (std::string tail : {"", "/tasks.json", "/graph", "/report"}) {
    auto r = c.get("/plans/" + std::string(unknown_uuid) + tail);
    EXPECT_EQ(r.status, 404) << tail;
    EXPECT_EQ(detail_of(r), "Plan " + std::string(unknown_uuid) + " not found") << r.body;
    EXPECT_EQ(error_code(r), "PLAN_NOT_FOUND");
  }
  auto rerun = c.post("/plans/" + std::string(unknown_uuid) + "/rerun", json::object{});
  EXPECT_EQ(rerun.status, 404);
  EXPECT_EQ(detail_of(rerun), "Plan " + std::string(unknown_uuid) + " not found");
  auto cb = c.post("/executor/callbacks/" + std::string(unknown_uuid),
                   json::object{{"status", "done"}});
  EXPECT_EQ(cb.status, 404);
  EXPECT_EQ(detail_of(cb), "Task not found") << cb.body;

  // T29: no PRD.
  auto body = plan_body("run-x");
  body["prd"] = json::object{{"text", ""}};
  auto no_prd = c.post("/plans", body);
  EXPECT_EQ(no_prd.status, 400);
  EXPECT_EQ(detail_of(no_prd), "PRD text or accessible ref required");

  // T30: schema validation.
  body = plan_body("run-x");
  body.erase("contract");
  auto no_contract = c.post("/plans", body);
  EXPECT_EQ(no_contract.status, 422) << no_contract.body;
  EXPECT_NE(no_contract.body.find("contract"), std::string::npos);
  body = plan_body("run-x");
  body["projectId"] = 123;
  EXPECT_EQ(c.post("/plans", body).status, 422);
  EXPECT_EQ(c.post("/executor/callbacks/" + std::string(unknown_uuid), json::object{}).status,
            422);

  // T31, T32: invalid contracts are 422 ContractInvalid, naming the part.
  auto no_info = sample_contract();
  no_info.erase("info");
  auto invalid = c.post("/plans", plan_body("run-x", no_info));
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.json().at("error").at("details").at("error"), json::value("ContractInvalid"));
  auto v30 = sample_contract();
  v30["openapi"] = "3.0.3";
  auto no_responses = c.post("/plans", plan_body("run-x", v30));
  EXPECT_EQ(no_responses.status, 422) << no_responses.body;
  EXPECT_NE(no_responses.body.find("responses"), std::string::npos);
  EXPECT_EQ(get_digest(c).at("checkpoint"), head) << "nothing written by a refusal";

  // T33: a duplicate run is 409 and stores nothing.
  create_plan(c, plan_body("run-1"));
  auto after_first = get_digest(c);
  auto dup = c.post("/plans", plan_body("run-1"));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(error_code(dup), "DUPLICATE_RUN");
  EXPECT_FALSE(detail_of(dup).empty());
  EXPECT_EQ(get_digest(c), after_first);
}

// `tascade plan --url --apply`: plans on the server and applies the plan to a project.
TEST(PlansE2e, TheToolPlansOnTheServerAndApplies) {
  running_server s;
  auto project = create_project(s.client, "From the CLI");
  temp_dir files;
  auto prd_file = files.path() / "prd.md";
  auto contract_file = files.path() / "api.json";
  std::ofstream(prd_file) << prd;
  std::ofstream(contract_file) << json::serialize(sample_contract());
  std::vector<std::string> args{"plan",   "--prd",   prd_file.string(),
                                "--contract", contract_file.string(),
                                "--url",  "http://127.0.0.1:" + std::to_string(s.server.port()),
                                "--apply", project, "--json"};
  if (s.server.requires_keys()) {
    args.push_back("--key");
    args.push_back(s.server.admin_key());
  }
  auto applied = run_tool_json(args);
  EXPECT_EQ(str(applied, "projectId"), project);
  EXPECT_EQ(applied.at("tasks").as_array().size(), 5u);
  EXPECT_EQ(applied.at("planVersion").to_number<int64_t>(), 2);
  EXPECT_EQ(get_graph(s.client, project).at("tasks").as_array().size(), 5u);
}

// The issue's scenario: plan → apply to a project → an agent claims and implements the first
// ready task → rerun with a changed contract → the changeset reopens exactly the affected
// tasks (and adds the new ones), after a dry run that shows it.
TEST(PlansE2e, ContractChangeReopensExactlyTheAffectedTasks) {
  running_server s;
  auto& c = s.client;
  auto plan = create_plan(c, plan_body("run-1"));
  auto id = str(plan, "id");
  auto nodes = tasks_json(c, id);
  auto project = create_project(c, "Widgets");

  // Apply: one changeset, plan version 2, every node a task, every edge a dependency.
  auto applied = expect_object(
    c.post("/plans/" + id + "/apply", json::object{{"project_id", project}}), 200, "apply");
  EXPECT_EQ(applied.at("planVersion").to_number<int64_t>(), 2);
  auto& made = applied.at("tasks").as_array();
  ASSERT_EQ(made.size(), 5u);
  std::map<std::string, std::string> task_of;  // title → task id
  for (size_t i = 0; i < made.size(); ++i) {
    EXPECT_EQ(made[i].at("nodeId"), nodes[i].at("id"));
    task_of[std::string(nodes[i].at("title").as_string())] = made[i].at("taskId").as_string();
  }
  auto graph = get_graph(c, project);
  EXPECT_EQ(graph.at("tasks").as_array().size(), 5u);
  EXPECT_EQ(graph.at("dependencies").as_array().size(), 5u);
  EXPECT_EQ(graph.at("phases").as_array().size(), 5u);  // Foundation, Data, Backend, ...
  auto current = expect_object(c.get("/v1/plans/current?project_id=" + project), 200, "current");
  EXPECT_EQ(current.at("current_version_number").to_number<int64_t>(), 2);
  auto db = task_of.at("Design and migrate Widget table");
  auto scaffold = task_of.at("Request: provision repository scaffold");
  // The REST task shows the plan's figures in the WorkSpec's keys; the graph the whole spec.
  auto task = expect_object(c.get("/v1/tasks/" + db), 200, "db task");
  EXPECT_EQ(task.at("work_spec").at("constraints"),
            (json::array{"Token budget: 2000 tokens (Class-200K)",
                         "Complexity: CCS 56.5/100, about 4 subtasks"}));
  EXPECT_EQ(task.at("expected_touches"), (json::array{"db/migrations/widget*"}));
  EXPECT_EQ(str(task, "task_class"), "db_schema");
  for (auto& t : graph.at("tasks").as_array())
    if (t.at("id").as_string() == db) {
      EXPECT_EQ(t.at("work_spec").at("token_budget").to_number<int64_t>(), 2000);
      EXPECT_EQ(t.at("work_spec").at("complexity").at("score_0_100").to_number<double>(), 56.5);
    }
  auto twice = c.post("/plans/" + id + "/apply", json::object{{"project_id", project}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(error_code(twice), "PLAN_ALREADY_APPLIED");

  // An agent claims the first ready task (the scaffold) and implements it.
  auto first = expect_object(
    c.post("/v1/tasks/claim-next", json::object{{"project_id", project}, {"agent_id", "a1"}}),
    200, "claim-next");
  ASSERT_EQ(str(first.at("task").as_object(), "id"), scaffold);
  auto token = lease_token(first);
  transition(c, project, scaffold, "in_progress", "a1", {{"lease_token", token}});
  transition(c, project, scaffold, "implemented", "a1", {{"lease_token", token}});
  // A second agent holds the Widget table task, now ready.
  auto second = expect_object(
    c.post("/v1/tasks/claim-next", json::object{{"project_id", project}, {"agent_id", "a2"}}),
    200, "claim-next");
  ASSERT_EQ(str(second.at("task").as_object(), "id"), db);

  std::map<std::string, json::object> before;  // task id → the task before the rerun
  for (auto& [title, tid] : task_of)
    before[tid] = expect_object(c.get("/v1/tasks/" + tid), 200, "task");

  // Rerun against the changed contract: a diff, and a draft changeset for the project.
  auto rerun = expect_object(
    c.post("/plans/" + id + "/rerun",
           json::object{{"contract", {{"document", changed_contract()}}}}),
    200, "rerun");
  auto& diff = rerun.at("contractDiff").as_object();
  EXPECT_EQ(diff.at("addedOperations"), (json::array{"listGadgets"}));
  EXPECT_EQ(diff.at("changedEntities"), (json::array{"Widget"}));
  EXPECT_EQ(diff.at("addedEntities"), (json::array{"Gadget"}));
  ASSERT_TRUE(rerun.at("proposedChangesetId").is_string()) << json::serialize(rerun);
  auto changeset = str(rerun, "proposedChangesetId");

  // Validate: the dry run names the tasks it changes and the claim it would end.
  auto dry = expect_object(c.post("/v1/plans/changesets/" + changeset + "/validate",
                                  json::object{}),
                           200, "validate");
  EXPECT_EQ(dry.at("valid"), json::value(true)) << json::serialize(dry);
  std::set<std::string> material;
  for (auto& t : dry.at("material_task_ids").as_array())
    material.emplace(t.as_string());
  EXPECT_EQ(dry.at("would_invalidate_claim_task_ids"), (json::array{db.c_str()}));
  EXPECT_EQ(dry.at("creates").as_array().size(), 2u) << "a Gadget table and a Gadgets backend";
  EXPECT_TRUE(material.count(db));
  EXPECT_FALSE(material.count(scaffold)) << "the scaffold covers no operation";
  EXPECT_EQ(task_state(c, db), "claimed") << "a dry run changes nothing";

  // Apply: exactly the material tasks change; the claimed one is reopened.
  auto done = expect_object(
    c.post("/v1/plans/changesets/" + changeset + "/apply", json::object{}), 200, "apply cs");
  EXPECT_EQ(done.at("plan_version").at("version_number").to_number<int64_t>(), 3);
  EXPECT_EQ(done.at("invalidated_claim_task_ids"), (json::array{db.c_str()}));
  EXPECT_EQ(task_state(c, db), "ready");
  auto hb = post_heartbeat(c, project, db, "a2", lease_token(second));
  EXPECT_EQ(error_code(hb), "LEASE_INVALIDATED") << hb.body;
  for (auto& [title, tid] : task_of) {
    auto now = expect_object(c.get("/v1/tasks/" + tid), 200, "task");
    auto& then = before.at(tid);
    if (material.count(tid)) {
      EXPECT_EQ(str(now, "state"), str(then, "state") == "claimed" ? "ready" : str(then, "state"))
        << title;
    } else {
      EXPECT_EQ(now.at("work_spec"), then.at("work_spec")) << title << " was not affected";
      EXPECT_EQ(str(now, "state"), str(then, "state")) << title;
    }
  }
  auto all = get_graph(c, project, "?include_completed=true");
  EXPECT_EQ(all.at("tasks").as_array().size(), 7u);
  std::set<std::string> titles;
  for (auto& t : all.at("tasks").as_array())
    titles.emplace(t.at("title").as_string());
  EXPECT_TRUE(titles.count("Design and migrate Gadget table"));
  EXPECT_TRUE(titles.count("Implement backend handlers for Gadgets"));

  // The rerun plan now stands for the project: rerunning it against the original contract
  // proposes to cancel the Gadget tasks.
  auto back = expect_object(
    c.post("/plans/" + str(rerun, "id") + "/rerun",
           json::object{{"contract", {{"document", sample_contract()}}}}),
    200, "rerun back");
  ASSERT_TRUE(back.at("proposedChangesetId").is_string()) << json::serialize(back);
  auto undo = expect_object(c.post("/v1/plans/changesets/" +
                                     str(back, "proposedChangesetId") + "/validate",
                                   json::object{}),
                            200, "validate undo");
  EXPECT_EQ(undo.at("cancel_task_ids").as_array().size(), 2u) << json::serialize(undo);
  expect_object(c.post("/v1/plans/changesets/" + str(back, "proposedChangesetId") + "/apply",
                       json::object{}),
                200, "apply undo");
  for (auto& t : undo.at("cancel_task_ids").as_array())
    EXPECT_EQ(task_state(c, std::string(t.as_string())), "cancelled");

  // The log replays to the same projections.
  auto live = get_digest(c);
  ASSERT_EQ(s.server.stop(), 0) << s.server.output();
  auto rebuilt = run_tool_json({"replay", "rebuild", "--data", s.data.str()});
  EXPECT_EQ(rebuilt.at("digest"), live.at("digest"));
}

}  // namespace
}  // namespace tascade::test

// End-to-end: read-model checkpoints. A server stopped in order writes one; the next start
// loads it, replays only the events after it, and serves exactly what it served before (reads
// and digest), with leases, reservations and governance in the model. After SIGKILL an older
// checkpoint and a longer tail give the same. `tascade replay rebuild` still starts from event 1.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

namespace tascade::test {
namespace {

namespace json = boost::json;

struct world {
  hierarchy h;
  std::vector<std::string> tasks;
};

// Tasks, an edge, a finished claim, a live lease, a reservation, a gate rule and decision, and
// an applied changeset that reprioritises one task and rewrites the spec of a claimed one.
world build_world(http_client& c) {
  world w{setup_h(c, "Checkpointed"), {}};
  auto& p = w.h.project;
  for (int i = 0; i < 5; ++i)
    w.tasks.push_back(id_of(create_task(
      c, p, w.h.milestone, "T" + std::to_string(i),
      {{"priority", 10 + i}, {"capability_tags", json::array{i % 2 ? "backend" : "frontend"}}})));
  create_edge(c, p, w.tasks[0], w.tasks[1]);
  auto done = claim(c, p, w.tasks[0], "agent-1", {{"ttl_seconds", 600}});
  EXPECT_EQ(post_heartbeat(c, p, w.tasks[0], "agent-1", lease_token(done)).status, 200);
  transition(c, p, w.tasks[0], "in_progress", "agent-1");
  transition(c, p, w.tasks[0], "implemented", "agent-1");
  claim(c, p, w.tasks[2], "agent-2", {{"ttl_seconds", 600}});
  EXPECT_EQ(post_assign(c, p, w.tasks[3], "agent-3").status, 200);
  auto rule = id_of(expect_object(
    c.post("/v1/gate-rules", json::object{{"project_id", p}, {"name", "Review"}}), 201, "rule"));
  expect_object(c.post("/v1/gate-decisions",
                       json::object{{"project_id", p}, {"gate_rule_id", rule},
                                    {"outcome", "approved"}, {"actor_id", "reviewer-1"},
                                    {"reason", "fine"}, {"task_id", w.tasks[0]}}),
                201, "decision");
  auto cs = expect_object(
    c.post("/v1/plans/changesets",
           json::object{{"project_id", p},
                        {"base_plan_version", 1},
                        {"target_plan_version", 2},
                        {"operations",
                         json::array{json::object{{"op", "reprioritize_task"},
                                                  {"task_id", w.tasks[4]},
                                                  {"payload", {{"priority", 1}}}},
                                     json::object{{"op", "update_task"},
                                                  {"task_id", w.tasks[2]},
                                                  {"payload",
                                                   {{"work_spec", {{"objective", "new"}}}}}}}},
                        {"created_by", "planner"}}),
    201, "changeset");
  expect_object(c.post("/v1/plans/changesets/" + id_of(cs) + "/apply", json::value(nullptr)),
                200, "apply");
  return w;
}

// More writes on an existing world: a new task, a claim and a transition.
void more_writes(http_client& c, const world& w, const std::string& title) {
  auto t = id_of(create_task(c, w.h.project, w.h.milestone, title));
  claim(c, w.h.project, t, "agent-9", {{"ttl_seconds", 600}});
  transition(c, w.h.project, t, "in_progress", "agent-9");
}

// Every read that shows the model: lists, graph, each task, ready queries, plan, digest.
json::value reads(http_client& c, const world& w) {
  auto& p = w.h.project;
  json::object out{{"projects", c.get("/v1/projects").json()},
                   {"graph", get_graph(c, p)},
                   {"tasks", c.get("/v1/tasks?project_id=" + p).json()},
                   {"ready", c.get("/v1/tasks/ready?project_id=" + p + "&agent_id=agent-3").json()},
                   {"plan", c.get("/v1/plans/current?project_id=" + p).json()},
                   {"decisions", c.get("/v1/gate-decisions?project_id=" + p).json()},
                   {"digest", get_digest(c)}};
  for (auto& t : w.tasks)
    out["task " + t] = get_task(c, t);
  return out;
}

bool has(const server_process& s, const std::string& text) {
  return s.output().find(text) != std::string::npos;
}

uint64_t checkpoint_of(http_client& c) {
  return get_digest(c).at("checkpoint").to_number<uint64_t>();
}

TEST(CheckpointE2e, AnOrderlyStopWritesOneAndTheNextStartLoadsIt) {
  temp_dir data;
  json::value before;
  world w;
  uint64_t head = 0;
  {
    server_process server(data.str());
    auto c = server.client();
    w = build_world(c);
    before = reads(c, w);
    head = checkpoint_of(c);
    c.close();
    EXPECT_EQ(server.stop(), 0) << server.output();
    EXPECT_TRUE(has(server, "read-model checkpoint at " + std::to_string(head) + " written"))
      << server.output();
  }
  server_process server(data.str());
  EXPECT_TRUE(has(server, "read-model checkpoint at " + std::to_string(head) + " restored"))
    << server.output();
  EXPECT_TRUE(has(server, " 0 events replayed")) << server.output();
  auto c = server.client();
  EXPECT_EQ(reads(c, w), before);

  // The restored server keeps working on the model it loaded, and the tool, which ignores
  // checkpoints, agrees with it.
  more_writes(c, w, "After restore");
  auto live = get_digest(c);
  auto rebuilt = run_tool_json({"replay", "rebuild", "--data", data.str()});
  EXPECT_EQ(rebuilt.at("digest"), live.at("digest"));
  EXPECT_EQ(rebuilt.at("events"), live.at("checkpoint"));
}

TEST(CheckpointE2e, AfterSigkillAnOlderCheckpointAndALongerTailGiveTheSameModel) {
  temp_dir data;
  world w;
  uint64_t first = 0;
  {
    server_process server(data.str());
    auto c = server.client();
    w = build_world(c);
    first = checkpoint_of(c);
    c.close();
    EXPECT_EQ(server.stop(), 0) << server.output();
  }
  json::value before;
  uint64_t head = 0;
  {
    // No periodic checkpoint: only the one of the orderly stop exists when this one dies.
    server_process server(data.str(), {"--checkpoint-every", "1000000"});
    auto c = server.client();
    more_writes(c, w, "Before the kill");
    before = reads(c, w);
    head = checkpoint_of(c);
    server.kill_hard();
  }
  ASSERT_GT(head, first);
  server_process server(data.str());
  EXPECT_TRUE(has(server, "read-model checkpoint at " + std::to_string(first) + " restored"))
    << server.output();
  EXPECT_TRUE(has(server, " " + std::to_string(head - first) + " events replayed"))
    << server.output();
  auto c = server.client();
  EXPECT_EQ(reads(c, w), before);
}

TEST(CheckpointE2e, PeriodicCheckpointsAreWrittenWhileServingAndSurviveSigkill) {
  temp_dir data;
  world w;
  json::value before;
  {
    server_process server(data.str(), {"--checkpoint-every", "5"});
    auto c = server.client();
    w = build_world(c);
    EXPECT_TRUE(eventually([&] { return has(server, "read-model checkpoint at "); },
                           std::chrono::seconds(15)))
      << server.output();
    before = reads(c, w);
    server.kill_hard();
  }
  server_process server(data.str());
  EXPECT_TRUE(has(server, "restored")) << server.output();
  auto c = server.client();
  EXPECT_EQ(reads(c, w), before);
}

// A start that replays `every` events or more writes its checkpoint before it listens: the
// encoding holds the projections' lock, and no request should wait on it.
TEST(CheckpointE2e, AStartThatReplayedALongTailWritesItsCheckpointBeforeServing) {
  temp_dir data;
  uint64_t head = 0;
  {
    server_process server(data.str(), {"--checkpoint-every", "0"});
    auto c = server.client();
    build_world(c);
    head = checkpoint_of(c);
    c.close();
    EXPECT_EQ(server.stop(), 0) << server.output();
  }
  server_process server(data.str(), {"--checkpoint-every", "5"});
  auto out = server.output();
  auto written = out.find("read-model checkpoint at " + std::to_string(head) + " written");
  auto listening = out.find("listening on");
  ASSERT_NE(written, std::string::npos) << out;
  ASSERT_NE(listening, std::string::npos) << out;
  EXPECT_LT(written, listening) << out;
}

TEST(CheckpointE2e, WithCheckpointsOffEveryStartReplaysTheWholeLog) {
  temp_dir data;
  world w;
  json::value before;
  uint64_t head = 0;
  {
    server_process server(data.str(), {"--checkpoint-every", "0"});
    auto c = server.client();
    w = build_world(c);
    before = reads(c, w);
    head = checkpoint_of(c);
    c.close();
    EXPECT_EQ(server.stop(), 0) << server.output();
    EXPECT_FALSE(has(server, "checkpoint at")) << server.output();
  }
  server_process server(data.str(), {"--checkpoint-every", "0"});
  EXPECT_TRUE(has(server, " " + std::to_string(head) + " events replayed")) << server.output();
  auto c = server.client();
  EXPECT_EQ(reads(c, w), before);
}

}  // namespace
}  // namespace tascade::test

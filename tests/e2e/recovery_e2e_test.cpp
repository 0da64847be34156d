// End-to-end: durability and the replay tool. Writes acknowledged over HTTP survive SIGKILL;
// `tascade replay verify/rebuild` agree with the live server, stopped or running; a changed byte
// in the log is caught; concurrent writers get distinct short ids.

#include "events/event_log.hpp"
#include "tascade/errc.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <rocksdb/db.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

// What a world built over HTTP looks like from outside.
struct world {
  std::vector<std::string> projects;
  uint64_t writes = 0;  // acknowledged writes; each one is one event
};

// Two projects with phases, milestones, tasks and edges.
world build_world(http_client& c) {
  world w;
  w.writes = bootstrap_events();
  for (auto name : {"Recovery A", "Recovery B"}) {
    auto h = setup_h(c, name);
    auto phase2 = str(create_phase(c, h.project, "Phase 2", 1), "id");
    auto m2 = str(create_milestone(c, h.project, phase2, "Milestone 2", 1), "id");
    auto a = str(create_task(c, h.project, h.milestone, "A", {{"priority", 5}}), "id");
    auto b = str(create_task(c, h.project, h.milestone, "B",
                             {{"capability_tags", json::array{"backend"}}}),
                 "id");
    auto d = str(create_task(c, h.project, m2, "D", {{"description", "last"}}), "id");
    create_edge(c, h.project, a, b, "integrated");
    create_edge(c, h.project, b, d);
    create_edge(c, h.project, a, d);
    w.projects.push_back(h.project);
    w.writes += 3 + 2 + 3 + 3;
  }
  return w;
}

// Every read the server offers about `w`, as one JSON value to compare.
json::value snapshot(http_client& c, const world& w) {
  json::object out{{"projects", c.get("/v1/projects").json()}};
  for (auto& p : w.projects) {
    out["graph " + p] = get_graph(c, p);
    out["tasks " + p] = c.get("/v1/tasks?project_id=" + p).json();
    out["milestones " + p] = c.get("/v1/projects/" + p + "/milestones").json();
  }
  return out;
}

json::object run_tool_json(const std::vector<std::string>& args, int expected_exit) {
  auto r = run_program(TASCADE_TOOL_PATH, args);
  if (r.exit_code != expected_exit)
    throw std::runtime_error("tascade exited " + std::to_string(r.exit_code) + ", expected " +
                             std::to_string(expected_exit) + "\nstdout: " + r.out +
                             "\nstderr: " + r.err);
  boost::system::error_code ec;
  auto v = json::parse(r.out, ec);
  if (ec || !v.is_object())
    throw std::runtime_error("tascade printed no JSON object: " + r.out + "\nstderr: " + r.err);
  return std::move(v.get_object());
}

json::object verify(const temp_dir& data, int expected_exit = 0) {
  return run_tool_json({"replay", "verify", "--data", data.str()}, expected_exit);
}

json::object rebuild(const temp_dir& data) {
  return run_tool_json({"replay", "rebuild", "--data", data.str()}, 0);
}

TEST(RecoveryE2e, AcknowledgedWritesSurviveSigkill) {
  temp_dir data;
  json::value before;
  json::object digest_before;
  world w;
  {
    server_process server(data.str());
    auto c = server.client();
    w = build_world(c);
    before = snapshot(c, w);
    digest_before = get_digest(c);
    server.kill_hard();
  }
  EXPECT_EQ(digest_before.at("checkpoint"), json::value(w.writes));

  server_process server(data.str());
  EXPECT_NE(server.output().find(std::to_string(w.writes) + " events replayed"),
            std::string::npos)
    << server.output();
  auto c = server.client();
  EXPECT_EQ(snapshot(c, w), before);
  EXPECT_EQ(get_digest(c), digest_before);

  // The restarted server continues the counters and the log where they stopped.
  auto graph = get_graph(c, w.projects[0]);
  auto milestone = str(graph.at("milestones").at(0).as_object(), "id");
  auto next = create_task(c, w.projects[0], milestone, "After restart");
  EXPECT_EQ(str(next, "short_id"), "P1.M1.T3");
  auto phase = create_phase(c, w.projects[0], "Phase 3", 2);
  EXPECT_EQ(str(phase, "short_id"), "P3");
  auto conflict = c.post("/v1/projects/" + w.projects[0] + "/phases",
                         json::object{{"name", "Again"}, {"sequence", 1}});
  EXPECT_EQ(error_code(conflict), "SEQUENCE_CONFLICT") << conflict.body;
  EXPECT_EQ(get_digest(c).at("checkpoint"), json::value(w.writes + 2));
  server.kill_hard();
  EXPECT_EQ(verify(data).at("events"), json::value(w.writes + 2));
}

TEST(RecoveryE2e, ReplayToolAgreesWithAStoppedServer) {
  temp_dir data;
  json::object live;
  world w;
  {
    server_process server(data.str());
    auto c = server.client();
    w = build_world(c);
    live = get_digest(c);
    server.kill_hard();
  }
  auto verified = verify(data);
  EXPECT_EQ(verified.at("ok"), json::value(true));
  EXPECT_EQ(verified.at("events"), json::value(w.writes));
  EXPECT_EQ(verified.at("head"), json::value(w.writes));
  auto rebuilt = rebuild(data);
  EXPECT_EQ(rebuilt.at("digest"), live.at("digest"));
  EXPECT_EQ(rebuilt.at("checkpoint"), live.at("checkpoint"));
  EXPECT_EQ(rebuilt.at("events"), json::value(w.writes));

  // The tool wrote nothing: a server started afterwards sees the same state.
  server_process server(data.str());
  auto c = server.client();
  EXPECT_EQ(get_digest(c), live);
}

// Fails today: on SIGTERM tascaded logs "signal 15: stopping" and then never exits. Its main
// thread waits in caf::actor_system::~actor_system (await_detached_threads, from `sys_.reset()`
// in node::~node, src/node.cpp) while the detached log writer's thread waits in
// private_thread::await_self_destroyed: `node::writer_` (and `registry_`) still hold strong
// handles when the actor system is destroyed. stop() gives up after `process_deadline` and
// kills the server, so this test takes that long until the server is fixed.
TEST(RecoveryE2e, SigtermStopsTheServerCleanly) {
  temp_dir data;
  json::object live;
  world w;
  {
    server_process server(data.str());
    auto c = server.client();
    w = build_world(c);
    live = get_digest(c);
    c.close();
    EXPECT_EQ(server.stop(), 0) << server.output();
    EXPECT_NE(server.output().find("stopping"), std::string::npos) << server.output();
  }
  EXPECT_EQ(verify(data).at("events"), json::value(w.writes));
  EXPECT_EQ(rebuild(data).at("digest"), live.at("digest"));
  server_process server(data.str());
  auto c = server.client();
  EXPECT_EQ(get_digest(c), live);
}

TEST(RecoveryE2e, ReplayToolReadsTheLogOfARunningServer) {
  temp_dir data;
  server_process server(data.str());
  auto c = server.client();
  auto w = build_world(c);
  auto live = get_digest(c);
  auto verified = verify(data);
  EXPECT_EQ(verified.at("ok"), json::value(true));
  EXPECT_EQ(verified.at("events"), json::value(w.writes));
  auto rebuilt = rebuild(data);
  EXPECT_EQ(rebuilt.at("digest"), live.at("digest"));
  EXPECT_EQ(rebuilt.at("checkpoint"), live.at("checkpoint"));
  // The read-only tool left the server able to write.
  auto graph = get_graph(c, w.projects[1]);
  create_task(c, w.projects[1], str(graph.at("milestones").at(0).as_object(), "id"), "More");
  EXPECT_EQ(rebuild(data).at("digest"), get_digest(c).at("digest"));
}

// The payload of the event stored under `seq`: its offset and length inside the value.
std::pair<size_t, size_t> payload_span(const std::string& bytes) {
  auto u32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i)
      v = (v << 8) | uint8_t(bytes.at(at + i));
    return size_t(v);
  };
  size_t pos = 60;
  for (int field = 0; field < 5; ++field)
    pos += 4 + u32(pos);
  return {pos + 4, u32(pos)};
}

TEST(RecoveryE2e, ChangedPayloadByteFailsVerification) {
  temp_dir data;
  {
    server_process server(data.str());
    auto c = server.client();
    setup_h(c, "Tamper");  // events 1 (project), 2 (phase), 3 (milestone "Milestone 1")
    auto h = setup_h(c, "Witness");
    create_task(c, h.project, h.milestone, "Later");
    server.kill_hard();
  }
  ASSERT_EQ(verify(data).at("ok"), json::value(true));

  {
    auto log = event_log::open(data.str());
    ASSERT_TRUE(log) << message_of(log.error());
    auto* db = (*log)->db();
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), (*log)->events_family(), seq_key(3 + bootstrap_events()), &value).ok());
    ASSERT_EQ(uint8_t(value.at(1)) & 1, 0) << "event 3 is compressed; the test needs plain JSON";
    auto [offset, length] = payload_span(value);
    ASSERT_EQ(offset + length, value.size());
    auto payload = value.substr(offset, length);
    auto name = payload.find("Milestone 1");
    ASSERT_NE(name, std::string::npos) << payload;
    value[offset + name] = 'N';  // "Nilestone 1": still valid JSON, different bytes
    rocksdb::WriteOptions sync;
    sync.sync = true;
    ASSERT_TRUE(db->Put(sync, (*log)->events_family(), seq_key(3 + bootstrap_events()), value).ok());
  }

  auto report = verify(data, 1);
  EXPECT_EQ(report.at("ok"), json::value(false));
  ASSERT_TRUE(report.contains("first_bad_seq")) << json::serialize(report);
  auto bad = report.at("first_bad_seq").to_number<int64_t>() - int64_t(bootstrap_events());
  EXPECT_TRUE(bad == 3 || bad == 4) << json::serialize(report);
  EXPECT_FALSE(str(report, "problem").empty());
}

TEST(RecoveryE2e, ConcurrentWritersGetDistinctShortIds) {
  constexpr int writers = 8;
  constexpr int tasks_each = 25;
  running_server s;
  auto h = setup_h(s.client, "Concurrent");

  struct outcome {
    std::vector<std::string> short_ids;
    std::vector<std::string> failures;
    int connections = 0;
  };
  std::vector<outcome> outcomes(writers);
  std::vector<std::thread> threads;
  for (int n = 0; n < writers; ++n)
    threads.emplace_back([&, n] {
      auto& out = outcomes[size_t(n)];
      try {
        http_client c = s.server.client();
        for (int i = 0; i < tasks_each; ++i) {
          auto title = "w" + std::to_string(n) + "-" + std::to_string(i);
          auto r = c.post("/v1/tasks", task_body(h.project, h.milestone, title));
          if (r.status != 201)
            out.failures.push_back(title + ": " + std::to_string(r.status) + " " + r.body);
          else
            out.short_ids.push_back(str(r.json().as_object(), "short_id"));
        }
        out.connections = c.connections_opened();
      } catch (const std::exception& e) {
        out.failures.push_back(e.what());
      }
    });
  for (auto& t : threads)
    t.join();

  std::set<std::string> short_ids;
  size_t acknowledged = 0;
  for (auto& out : outcomes) {
    for (auto& f : out.failures)
      ADD_FAILURE() << f;
    EXPECT_EQ(out.connections, 1);
    acknowledged += out.short_ids.size();
    short_ids.insert(out.short_ids.begin(), out.short_ids.end());
  }
  EXPECT_EQ(acknowledged, size_t(writers * tasks_each));
  std::set<std::string> expected;
  for (int i = 1; i <= writers * tasks_each; ++i)
    expected.insert("P1.M1.T" + std::to_string(i));
  EXPECT_EQ(short_ids, expected);

  auto page =
    expect_object(s.client.get("/v1/tasks?project_id=" + h.project + "&limit=1000"), 200, "list");
  EXPECT_EQ(page.at("total"), json::value(writers * tasks_each));
  std::set<std::string> listed;
  for (auto& item : page.at("items").as_array())
    listed.insert(std::string(item.at("short_id").as_string()));
  EXPECT_EQ(listed, expected);

  auto verified = verify(s.data);
  EXPECT_EQ(verified.at("ok"), json::value(true));
  EXPECT_EQ(verified.at("events"), json::value(bootstrap_events() + 3 + writers * tasks_each));
  EXPECT_EQ(rebuild(s.data).at("digest"), get_digest(s.client).at("digest"));
}

}  // namespace
}  // namespace tascade::test

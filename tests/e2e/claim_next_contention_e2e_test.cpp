// End-to-end claim-next under contention (issue 7): many agents call claim-next at the same
// moment over a project with more ready tasks than claim-next's window of 16 candidates. Every
// agent must get a task while untried ones are ready (NOTHING_CLAIMABLE only when none is left
// for it), and no task may be handed to two agents.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <latch>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

// What one agent was told by its single claim-next.
struct outcome {
  int status = 0;
  std::string code;  // error code, "" on success
  std::string task;  // the claimed task's id on success
  std::string body;  // the raw body, for failure messages
};

// A project with `tasks` ready tasks (no dependencies, all of the same priority).
std::string project_with_ready_tasks(http_client& c, int tasks) {
  auto h = setup_h(c, "Contention");
  for (int i = 0; i < tasks; ++i)
    create_task(c, h.project, h.milestone, "contended-" + std::to_string(i));
  return h.project;
}

// `agents` threads, each with its own connection, released together, each calling claim-next
// once as agent "racer-<i>".
std::vector<outcome> race_claim_next(server_process& server, const std::string& project,
                                     int agents) {
  std::vector<outcome> out(static_cast<size_t>(agents));
  std::vector<http_client> clients;
  for (int i = 0; i < agents; ++i)
    clients.push_back(server.client());
  std::latch start(agents);
  std::vector<std::thread> threads;
  for (int i = 0; i < agents; ++i)
    threads.emplace_back([&, i] {
      json::object body{{"project_id", project},
                        {"agent_id", "racer-" + std::to_string(i)},
                        {"ttl_seconds", 600}};
      start.arrive_and_wait();
      auto r = clients[size_t(i)].post("/v1/tasks/claim-next", body);
      auto& o = out[size_t(i)];
      o.status = r.status;
      o.body = r.body;
      if (r.status == 200)
        o.task = str(r.json().as_object().at("task").as_object(), "id");
      else
        o.code = error_code(r);
    });
  for (auto& t : threads)
    t.join();
  return out;
}

// Task id -> how many agents were handed it; fails the test for any other answer than a claim
// or NOTHING_CLAIMABLE.
std::map<std::string, int> claims_per_task(const std::vector<outcome>& outcomes,
                                           int& nothing_claimable) {
  std::map<std::string, int> claimed;
  nothing_claimable = 0;
  for (auto& o : outcomes) {
    if (o.status == 200)
      ++claimed[o.task];
    else if (o.status == 409 && o.code == "NOTHING_CLAIMABLE")
      ++nothing_claimable;
    else
      ADD_FAILURE() << "unexpected answer " << o.status << " " << o.body;
  }
  return claimed;
}

TEST(ClaimNextContentionE2e, EveryAgentGetsATaskWhileMoreThanAWindowIsReady) {
  constexpr int agents = 32;
  constexpr int tasks = 48;  // more than the 16-candidate window, and more than the agents
  running_server s;
  auto project = project_with_ready_tasks(s.client, tasks);

  auto outcomes = race_claim_next(s.server, project, agents);
  int nothing = 0;
  auto claimed = claims_per_task(outcomes, nothing);
  EXPECT_EQ(nothing, 0) << "agents told NOTHING_CLAIMABLE while tasks were still ready";
  EXPECT_EQ(claimed.size(), size_t(agents));
  for (auto& [task, times] : claimed)
    EXPECT_EQ(times, 1) << "task " << task << " claimed by " << times << " agents";
}

TEST(ClaimNextContentionE2e, ExactlyTheReadyTasksAreClaimedAndTheRestAreToldNothingClaimable) {
  constexpr int tasks = 20;  // more than one window, so the losers must look past the first 16
  constexpr int agents = tasks + 5;
  running_server s;
  auto project = project_with_ready_tasks(s.client, tasks);

  auto outcomes = race_claim_next(s.server, project, agents);
  int nothing = 0;
  auto claimed = claims_per_task(outcomes, nothing);
  EXPECT_EQ(claimed.size(), size_t(tasks));
  EXPECT_EQ(nothing, 5);
  for (auto& [task, times] : claimed)
    EXPECT_EQ(times, 1) << "task " << task << " claimed by " << times << " agents";

  // Nothing is left for a latecomer either.
  auto late = s.client.post("/v1/tasks/claim-next",
                            json::object{{"project_id", project}, {"agent_id", "latecomer"}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(error_code(late), "NOTHING_CLAIMABLE");
}

}  // namespace
}  // namespace tascade::test

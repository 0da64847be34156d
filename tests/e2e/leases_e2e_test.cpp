// End-to-end: leases and reservations that really expire (issue 3, "Beyond the reference"),
// against the real tascaded. Short TTLs (fractions of a second, per request) let the server's
// own timers fire; the tests wait for them by polling with a deadline, never by sleeping a
// fixed time, and no assertion depends on how fast the machine is:
// - a lease that must expire is never checked for being still alive;
// - a lease that must stay alive is either long (minutes) or renewed five times per TTL.
// Also: fencing of the old holder's writes, the lease token as exact proof, leases across a
// SIGKILL and restart, and `tascade replay rebuild` agreeing with the live digest afterwards.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr double short_ttl = 0.3;   // seconds: a lease or reservation meant to expire
constexpr double long_ttl = 600;    // seconds: one that must not expire during a test
constexpr double restart_ttl = 10;  // seconds: must survive a SIGKILL and a restart

int64_t num(const json::value& v) { return v.to_number<int64_t>(); }
json::object ttl(double seconds) { return {{"ttl_seconds", seconds}}; }

::testing::AssertionResult refused(const http_response& r, int status, const std::string& code) {
  if (r.status == status && error_code(r) == code)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected HTTP " << status << " " << code << ", got " << r.status << " " << r.body;
}

json::object details_of(const http_response& r) {
  auto v = r.json();
  auto& d = v.at("error").at("details");
  return d.is_object() ? d.as_object() : json::object{};
}

http_response post_artifact(http_client& c, const std::string& project, const std::string& task,
                            const std::string& agent, json::object extra = {}) {
  json::object body{{"project_id", project}, {"agent_id", agent}, {"check_status", "passed"}};
  for (auto& [k, v] : extra)
    body[k] = v;
  return c.post("/v1/tasks/" + task + "/artifacts", body);
}

// The payloads of the timeline's events of `type`, oldest first.
std::vector<json::object> payloads(http_client& c, const std::string& project,
                                   const std::string& task, const std::string& type) {
  std::vector<json::object> out;
  for (auto& e : task_timeline(c, project, task))
    if (e.at("type") == json::value(type))
      out.push_back(e.at("payload").as_object());
  return out;
}

// ---- expiry and fencing -------------------------------------------------------------------------

TEST(LeasesE2e, ExpiredLeaseReturnsTheTaskAndFencesTheOldHolder) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Expiring"));
  // Nothing asserts that a short lease is still alive: a slow machine may already have seen
  // it lapse by the time the answer is read.
  auto first = claim(s.client, h.project, id, "agent-a", ttl(short_ttl));
  EXPECT_EQ(num(first.at("lease").at("fencing_counter")), 1);
  auto old_token = lease_token(first);

  ASSERT_TRUE(wait_for_state(s.client, id, "ready")) << "the lease never expired";

  // The old holder's writes are refused, each with a clear code.
  auto beat = post_heartbeat(s.client, h.project, id, "agent-a", old_token);
  EXPECT_TRUE(refused(beat, 409, "LEASE_FENCED"));
  EXPECT_EQ(str(details_of(beat), "reason"), "expired") << beat.body;
  auto move = post_transition(s.client, h.project, id, "in_progress", "agent-a");
  EXPECT_TRUE(refused(move, 409, "LEASE_FENCED"));
  EXPECT_EQ(str(details_of(move), "reason"), "expired") << move.body;
  EXPECT_TRUE(refused(post_transition(s.client, h.project, id, "in_progress", "agent-a",
                                      {{"lease_token", old_token}}),
                      409, "LEASE_FENCED"));
  EXPECT_TRUE(refused(post_artifact(s.client, h.project, id, "agent-a"), 409, "LEASE_FENCED"));
  EXPECT_EQ(str(get_task(s.client, id), "state"), "ready");
  EXPECT_TRUE(payloads(s.client, h.project, id, "artifact_recorded").empty());

  // Another agent may claim it, with the next fencing counter; the zombie still may not write.
  auto second = claim(s.client, h.project, id, "agent-b", ttl(short_ttl));
  EXPECT_EQ(num(second.at("lease").at("fencing_counter")), 2);
  EXPECT_TRUE(refused(post_artifact(s.client, h.project, id, "agent-a"), 409, "LEASE_FENCED"));
  ASSERT_TRUE(wait_for_state(s.client, id, "ready")) << "the second lease never expired";

  // Once that lease expired too, the old agent claims again and may write again, but only
  // under its new lease.
  auto third = claim(s.client, h.project, id, "agent-a", ttl(long_ttl));
  EXPECT_EQ(num(third.at("lease").at("fencing_counter")), 3);
  auto token = lease_token(third);
  EXPECT_TRUE(
    refused(post_heartbeat(s.client, h.project, id, "agent-a", old_token), 409, "LEASE_FENCED"));
  EXPECT_EQ(post_heartbeat(s.client, h.project, id, "agent-a", token).status, 200);
  EXPECT_EQ(post_artifact(s.client, h.project, id, "agent-a", {{"lease_token", token}}).status,
            201);
  EXPECT_EQ(
    str(transition(s.client, h.project, id, "in_progress", "agent-a", {{"lease_token", token}}),
        "state"),
    "in_progress");
  // agent-b's lease expired as well: it is fenced now.
  EXPECT_TRUE(refused(post_heartbeat(s.client, h.project, id, "agent-b", lease_token(second)), 409,
                      "LEASE_FENCED"));
}

TEST(LeasesE2e, ExpiryIsRecordedWithThePreviousHolder) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Recorded"));
  auto lease = claim(s.client, h.project, id, "agent-a", ttl(short_ttl)).at("lease").as_object();
  ASSERT_TRUE(wait_for_state(s.client, id, "ready"));

  auto events = task_timeline(s.client, h.project, id);
  EXPECT_EQ(event_types(events),
            (std::vector<std::string>{"task_created", "task_claimed", "lease_expired"}));
  auto& p = events.back().at("payload").as_object();
  EXPECT_EQ(str(p, "agent_id"), "agent-a");
  EXPECT_EQ(str(p, "lease_id"), str(lease, "id"));
  EXPECT_EQ(num(p.at("fencing_counter")), 1);
  EXPECT_EQ(str(p, "from_state"), "claimed");
  EXPECT_EQ(str(events.back().as_object(), "principal"), "system");
  // Not before its deadline.
  auto expired_at = events.back().at("time").as_string();
  EXPECT_GE(std::string(expired_at), std::string(lease.at("expires_at").as_string()));
  // The task is claimable again, and back in the ready list.
  auto ready = expect_object(
    s.client.get("/v1/tasks/ready?project_id=" + h.project + "&agent_id=agent-c"), 200, "ready");
  ASSERT_EQ(ready.at("items").as_array().size(), 1u);
  EXPECT_EQ(ready.at("items").at(0).at("id"), json::value(id));
}

// The lease covers the work: it keeps running in in_progress, and expires there too.
TEST(LeasesE2e, LeaseExpiresDuringWork) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Working"));
  // Three seconds leave the transition below ample time; the poll then waits for expiry.
  auto token = lease_token(claim(s.client, h.project, id, "agent-a", ttl(3)));
  transition(s.client, h.project, id, "in_progress", "agent-a", {{"lease_token", token}});
  ASSERT_TRUE(wait_for_state(s.client, id, "ready"));
  auto expired = payloads(s.client, h.project, id, "lease_expired");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(str(expired[0], "from_state"), "in_progress");
  EXPECT_EQ(str(expired[0], "agent_id"), "agent-a");
  EXPECT_TRUE(refused(
    post_transition(s.client, h.project, id, "in_progress", "agent-a", {{"lease_token", token}}),
    409, "LEASE_FENCED"));
}

TEST(LeasesE2e, HeartbeatsKeepAShortLeaseAlive) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Kept alive"));
  // A lease of 1 s renewed every 100 ms, for twice its lifetime: a stall of most of a second
  // on a loaded machine (one was seen with a 0.5 s lease) must not fail the test.
  auto token = lease_token(claim(s.client, h.project, id, "agent-a", ttl(1.0)));
  auto start = std::chrono::steady_clock::now();
  int beats = 0;
  while (std::chrono::steady_clock::now() - start < 2000ms) {
    std::this_thread::sleep_for(100ms);  // the heartbeat cadence, not a synchronisation
    auto r = post_heartbeat(s.client, h.project, id, "agent-a", token);
    ASSERT_EQ(r.status, 200) << "heartbeat " << beats << ": " << r.body;
    ++beats;
  }
  EXPECT_EQ(str(get_task(s.client, id), "state"), "claimed");
  EXPECT_TRUE(payloads(s.client, h.project, id, "lease_expired").empty());
  EXPECT_EQ(payloads(s.client, h.project, id, "lease_renewed").size(), size_t(beats));
  // Without heartbeats the same lease lapses.
  ASSERT_TRUE(wait_for_state(s.client, id, "ready"));
  EXPECT_EQ(payloads(s.client, h.project, id, "lease_expired").size(), 1u);
}

TEST(LeasesE2e, ReservationsExpire) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Reserved briefly"));
  auto r = post_assign(s.client, h.project, id, "agent-b", ttl(short_ttl));
  auto reservation = expect_object(r, 200, "assign");
  EXPECT_EQ(str(reservation, "assignee_agent_id"), "agent-b");
  EXPECT_EQ(reservation.at("ttl_seconds"), json::value(short_ttl));

  ASSERT_TRUE(wait_for_state(s.client, id, "ready")) << "the reservation never expired";
  auto released = payloads(s.client, h.project, id, "reservation_released");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(str(released[0], "reason"), "expired");
  EXPECT_EQ(str(released[0], "assignee_agent_id"), "agent-b");
  EXPECT_EQ(str(released[0], "reservation_id"), id_of(reservation));
  // Everyone may take it now.
  auto ready = expect_object(
    s.client.get("/v1/tasks/ready?project_id=" + h.project + "&agent_id=agent-a"), 200, "ready");
  EXPECT_EQ(ready.at("items").as_array().size(), 1u);
  EXPECT_TRUE(
    refused(s.client.post("/v1/tasks/" + id + "/unassign", json::object{{"project_id", h.project}}),
            404, "RESERVATION_NOT_FOUND"));
  EXPECT_EQ(post_claim(s.client, h.project, id, "agent-a", ttl(long_ttl)).status, 200);
}

// Once the task passed to another agent, a token its previous holder released is no proof.
//
// FAILS today (server bug, left failing on purpose): agent-a releases its lease (claimed →
// blocked), the task goes back to ready and agent-b claims it; then agent-a, sending its old
// token, still moves agent-b's task to in_progress (200) and records an artifact on it (201).
// Issue 3: once a lease "passed to another agent, the old holder's writes are refused", and a
// token makes the check exact, even for a lease its holder released normally.
TEST(LeasesE2e, AReleasedTokenIsRefusedOnceAnotherAgentHoldsTheTask) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Handed over"));
  auto old_token = lease_token(claim(s.client, h.project, id, "agent-a", ttl(long_ttl)));
  transition(s.client, h.project, id, "blocked", "agent-a", {{"lease_token", old_token}});
  transition(s.client, h.project, id, "ready", "planner");
  auto token_b = lease_token(claim(s.client, h.project, id, "agent-b", ttl(long_ttl)));
  auto before = task_timeline(s.client, h.project, id).size();

  auto move = post_transition(s.client, h.project, id, "in_progress", "agent-a",
                              {{"lease_token", old_token}});
  EXPECT_TRUE(move.status == 409 &&
              (error_code(move) == "LEASE_FENCED" || error_code(move) == "LEASE_INVALID"))
    << move.status << " " << move.body;
  auto art = post_artifact(s.client, h.project, id, "agent-a", {{"lease_token", old_token}});
  EXPECT_TRUE(art.status == 409 &&
              (error_code(art) == "LEASE_FENCED" || error_code(art) == "LEASE_INVALID"))
    << art.status << " " << art.body;
  EXPECT_TRUE(
    refused(post_heartbeat(s.client, h.project, id, "agent-a", old_token), 409, "LEASE_INVALID"));
  EXPECT_EQ(task_timeline(s.client, h.project, id).size(), before);
  EXPECT_EQ(str(get_task(s.client, id), "state"), "claimed");
  EXPECT_EQ(post_heartbeat(s.client, h.project, id, "agent-b", token_b).status, 200);
}

// A wrong token on a write is refused even while the agent holds the lease.
TEST(LeasesE2e, TheLeaseTokenOnAWriteMustMatch) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Exact"));
  auto lease = claim(s.client, h.project, id, "agent-a", ttl(long_ttl)).at("lease").as_object();
  auto token = str(lease, "token");
  auto before = task_timeline(s.client, h.project, id).size();

  EXPECT_TRUE(refused(post_transition(s.client, h.project, id, "in_progress", "agent-a",
                                      {{"lease_token", "not-the-token"}}),
                      409, "LEASE_INVALID"));
  EXPECT_TRUE(
    refused(post_artifact(s.client, h.project, id, "agent-a", {{"lease_token", "not-the-token"}}),
            409, "LEASE_INVALID"));
  // A counter never issued names no lease at all, like an unknown token.
  EXPECT_TRUE(refused(
    post_transition(s.client, h.project, id, "in_progress", "agent-a", {{"fencing_counter", 7}}),
    409, "LEASE_INVALID"));
  EXPECT_EQ(task_timeline(s.client, h.project, id).size(), before);
  EXPECT_EQ(str(get_task(s.client, id), "state"), "claimed");

  EXPECT_EQ(post_artifact(s.client, h.project, id, "agent-a", {{"lease_token", token}}).status,
            201);
  EXPECT_EQ(str(transition(s.client, h.project, id, "in_progress", "agent-a",
                           {{"lease_token", token}, {"fencing_counter", 1}}),
                "state"),
            "in_progress");
  // A token its holder released normally stays acceptable (implemented → review steps).
  transition(s.client, h.project, id, "implemented", "agent-a", {{"lease_token", token}});
  EXPECT_EQ(post_artifact(s.client, h.project, id, "agent-a", {{"lease_token", token}}).status,
            201);
}

// ---- restarts -----------------------------------------------------------------------------------

TEST(LeasesE2e, RestartKeepsLeasesHonest) {
  temp_dir data;
  std::string project, held, brief;
  std::string held_token, brief_token;
  {
    server_process server(data.str());
    auto c = server.client();
    auto h = setup_h(c);
    project = h.project;
    held = id_of(create_task(c, h.project, h.milestone, "Held across restarts"));
    brief = id_of(create_task(c, h.project, h.milestone, "Expires after a restart"));
    held_token = lease_token(claim(c, project, held, "agent-a", ttl(restart_ttl)));
    ASSERT_EQ(post_heartbeat(c, project, held, "agent-a", held_token).status, 200);
    server.kill_hard();
  }
  {
    // The lease outlived the crash: same state, same token.
    server_process server(data.str());
    auto c = server.client();
    EXPECT_EQ(str(get_task(c, held), "state"), "claimed");
    auto claimed = payloads(c, project, held, "task_claimed");
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(str(claimed[0], "token"), held_token);
    ASSERT_EQ(post_heartbeat(c, project, held, "agent-a", held_token, ttl(long_ttl)).status, 200);
    EXPECT_TRUE(
      refused(post_heartbeat(c, project, held, "agent-a", "not-the-token"), 409, "LEASE_INVALID"));

    // A short lease whose server dies before it lapses expires after the restart.
    brief_token = lease_token(claim(c, project, brief, "agent-b", ttl(0.5)));
    server.kill_hard();
  }
  server_process server(data.str());
  auto c = server.client();
  ASSERT_TRUE(wait_for_state(c, brief, "ready")) << "the lease was not re-armed on restart";
  auto expired = payloads(c, project, brief, "lease_expired");
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(str(expired[0], "agent_id"), "agent-b");
  EXPECT_TRUE(
    refused(post_heartbeat(c, project, brief, "agent-b", brief_token), 409, "LEASE_FENCED"));
  EXPECT_EQ(
    num(claim(c, project, brief, "agent-c", ttl(long_ttl)).at("lease").at("fencing_counter")), 2);
  // The long lease is untouched by the second restart; its holder finishes the work, and the
  // token that proves it is the one issued before the first crash.
  EXPECT_EQ(str(get_task(c, held), "state"), "claimed");
  transition(c, project, held, "in_progress", "agent-a", {{"lease_token", held_token}});
  transition(c, project, held, "implemented", "agent-a", {{"lease_token", held_token}});
  transition(c, project, brief, "blocked", "agent-c");

  // Nothing is pending now: the replay tool rebuilds exactly the live read model.
  auto live = get_digest(c);
  auto rebuilt = run_tool_json({"replay", "rebuild", "--data", data.str()});
  EXPECT_EQ(rebuilt.at("digest"), live.at("digest"));
  EXPECT_EQ(rebuilt.at("checkpoint"), live.at("checkpoint"));
}

// After expiries, reservations and fenced refusals the log still replays to the live state.
TEST(LeasesE2e, ReplayAfterExpiriesMatchesTheLiveDigest) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = id_of(create_task(s.client, h.project, h.milestone, "A"));
  auto b = id_of(create_task(s.client, h.project, h.milestone, "B"));
  auto token = lease_token(claim(s.client, h.project, a, "agent-a", ttl(short_ttl)));
  ASSERT_EQ(post_assign(s.client, h.project, b, "agent-b", ttl(short_ttl)).status, 200);
  ASSERT_TRUE(wait_for_state(s.client, a, "ready"));
  ASSERT_TRUE(wait_for_state(s.client, b, "ready"));
  EXPECT_TRUE(
    refused(post_heartbeat(s.client, h.project, a, "agent-a", token), 409, "LEASE_FENCED"));
  auto live = get_digest(s.client);
  auto rebuilt = run_tool_json({"replay", "rebuild", "--data", s.data.str()});
  EXPECT_EQ(rebuilt.at("digest"), live.at("digest"));
  EXPECT_EQ(rebuilt.at("checkpoint"), live.at("checkpoint"));
}

}  // namespace
}  // namespace tascade::test

// End-to-end: the execution lifecycle over HTTP against the real tascaded (issue 3; spec §5.6,
// §6, §7.3-7.4, §8, §9, §12, §13.1; §19 scenarios 19-29, 39-41, 45, 47, 95-98): the ready
// queue, claim and claim-next, heartbeats, reservations, the state machine and its review rules,
// artifacts, integration attempts, context, execution snapshots and timelines. Every error code
// of these routes is provoked at least once. Leases that really expire: leases_e2e_test.cpp.
//
// No test here waits for a timer: every lease is claimed with a TTL of minutes, so a slow
// machine cannot expire one under a test's feet.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

// Long enough that no lease of this file expires while its test runs.
constexpr double long_ttl = 600;

int64_t num(const json::value& v) { return v.to_number<int64_t>(); }

bool is_lower_hex(const std::string& s, size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// "2026-11-22T00:52:32.197123+00:00" as microseconds since the epoch; -1 when malformed.
int64_t iso_micros(const json::value& v) {
  if (!v.is_string())
    return -1;
  std::string s(v.get_string());
  std::tm tm{};
  int micros = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &micros) != 7)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return int64_t(timegm(&tm)) * 1'000'000 + micros;
}

// The details object of an error envelope.
json::object details_of(const http_response& r) {
  auto v = r.json();
  auto& d = v.at("error").at("details");
  return d.is_object() ? d.as_object() : json::object{};
}

bool retryable(const http_response& r) {
  return r.json().at("error").at("retryable") == json::value(true);
}

json::array ready_items(http_client& c, const std::string& project, const std::string& agent,
                        const std::string& capabilities = "") {
  std::string target = "/v1/tasks/ready?project_id=" + project + "&agent_id=" + agent;
  if (!capabilities.empty())
    target += "&capabilities=" + capabilities;
  return expect_object(c.get(target), 200, "ready " + target).at("items").as_array();
}

json::object tags(std::initializer_list<const char*> names) {
  json::array a;
  for (auto* n : names)
    a.emplace_back(n);
  return {{"capability_tags", a}};
}

json::object ttl(double seconds) { return {{"ttl_seconds", seconds}}; }

http_response post_claim_next(http_client& c, const std::string& project, const std::string& agent,
                              json::object extra = {}) {
  json::object body{{"project_id", project}, {"agent_id", agent}, {"ttl_seconds", long_ttl}};
  for (auto& [key, value] : extra)
    body[key] = value;
  return c.post("/v1/tasks/claim-next", body);
}

http_response post_unassign(http_client& c, const std::string& project, const std::string& task) {
  return c.post("/v1/tasks/" + task + "/unassign", json::object{{"project_id", project}});
}

// The review fields that let implemented → integrated pass (actor "lead").
json::object reviewed() {
  return {{"reviewed_by", "reviewer-1"}, {"review_evidence_refs", json::array{"review://1"}}};
}

json::object forced() { return {{"force", true}}; }

// A refusal with this status and error code; the failure message quotes the response.
::testing::AssertionResult refused(const http_response& r, int status, const std::string& code) {
  if (r.status == status && error_code(r) == code)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected HTTP " << status << " " << code << ", got " << r.status << " " << r.body;
}

// ---- ready queue (spec §7.3, §7.4; scenarios 19, 21, 22) ----------------------------------------

TEST(LifecycleE2e, ReadyListFiltersByCapabilities) {
  running_server s;
  auto h = setup_h(s.client);
  auto backend = id_of(create_task(s.client, h.project, h.milestone, "B", tags({"backend"})));
  auto frontend = id_of(create_task(s.client, h.project, h.milestone, "F", tags({"frontend"})));
  auto api = id_of(create_task(s.client, h.project, h.milestone, "A", tags({"api", "backend"})));
  auto untagged = id_of(create_task(s.client, h.project, h.milestone, "U"));
  auto ready = [&](const std::string& caps) {
    return id_set(ready_items(s.client, h.project, "agent-a", caps));
  };
  using ids = std::set<std::string>;
  EXPECT_EQ(ready(""), (ids{backend, frontend, api, untagged}));
  EXPECT_EQ(ready("backend"), (ids{backend, api}));
  EXPECT_EQ(ready("api"), (ids{api}));
  EXPECT_EQ(ready("backend,frontend"), (ids{backend, frontend, api}));
  // Items are trimmed and blanks dropped ("backend, frontend" as agents send it).
  EXPECT_EQ(ready("%20frontend%20,%20,backend"), (ids{backend, frontend, api}));
  EXPECT_EQ(ready("docs"), ids{});
  // Only blanks: no capabilities at all, so no filter.
  EXPECT_EQ(ready("%20,%20"), (ids{backend, frontend, api, untagged}));

  auto items = ready_items(s.client, h.project, "agent-a", "frontend");
  ASSERT_EQ(items.size(), 1u);
  auto& summary = items.at(0).as_object();
  EXPECT_EQ(summary.at("score"), json::value(nullptr));  // TaskSummary
  EXPECT_EQ(str(summary, "state"), "ready");
  EXPECT_EQ(summary.at("work_spec").as_object().size(), 5u);
}

TEST(LifecycleE2e, ReadyListRefusesBadQueries) {
  running_server s;
  auto h = setup_h(s.client);
  EXPECT_EQ(s.client.get("/v1/tasks/ready?project_id=" + h.project).status, 422);
  EXPECT_EQ(s.client.get("/v1/tasks/ready?agent_id=agent-a").status, 422);
  for (std::string project : {std::string(unknown_uuid), std::string("not-a-project")}) {
    auto r = s.client.get("/v1/tasks/ready?project_id=" + project + "&agent_id=agent-a");
    EXPECT_TRUE(refused(r, 404, "PROJECT_NOT_FOUND"));
  }
}

TEST(LifecycleE2e, ReadyListExcludesTasksWithUnmetDependencies) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = id_of(create_task(s.client, h.project, h.milestone, "A"));
  auto b = id_of(create_task(s.client, h.project, h.milestone, "B"));
  auto c = id_of(create_task(s.client, h.project, h.milestone, "C"));
  create_edge(s.client, h.project, a, b, "implemented");
  create_edge(s.client, h.project, a, c, "integrated");
  using ids = std::set<std::string>;
  auto ready = [&] { return id_set(ready_items(s.client, h.project, "agent-a")); };
  EXPECT_EQ(ready(), ids{a});

  transition(s.client, h.project, a, "in_progress", "dev");
  EXPECT_EQ(ready(), ids{}) << "in_progress satisfies no edge";
  transition(s.client, h.project, a, "implemented", "dev");
  EXPECT_EQ(ready(), ids{b}) << "implemented satisfies only the `implemented` edge";
  transition(s.client, h.project, a, "integrated", "lead", reviewed());
  EXPECT_EQ(ready(), (ids{b, c}));
}

TEST(LifecycleE2e, ReservedTaskShowsOnlyInTheAssigneesList) {
  running_server s;
  auto h = setup_h(s.client);
  auto open = id_of(create_task(s.client, h.project, h.milestone, "Open", tags({"backend"})));
  auto mine = id_of(create_task(s.client, h.project, h.milestone, "Mine", tags({"backend"})));
  ASSERT_EQ(post_assign(s.client, h.project, mine, "agent-a").status, 200);
  using ids = std::set<std::string>;

  auto for_a = ready_items(s.client, h.project, "agent-a");
  EXPECT_EQ(id_set(for_a), (ids{open, mine}));
  for (auto& item : for_a) {
    if (item.at("id") == json::value(mine)) {
      EXPECT_EQ(item.at("state"), json::value("reserved"));
    }
  }
  EXPECT_EQ(id_set(ready_items(s.client, h.project, "agent-b")), ids{open});
  // Capabilities still filter the agent's reservations.
  EXPECT_EQ(id_set(ready_items(s.client, h.project, "agent-a", "backend")), (ids{open, mine}));
  EXPECT_EQ(id_set(ready_items(s.client, h.project, "agent-a", "frontend")), ids{});
}

TEST(LifecycleE2e, ReadyListOrdersByPriorityThenAge) {
  running_server s;
  auto h = setup_h(s.client);
  auto make = [&](const char* title, int priority) {
    return id_of(create_task(s.client, h.project, h.milestone, title, {{"priority", priority}}));
  };
  auto old50 = make("old 50", 50);
  auto old10 = make("old 10", 10);
  auto new50 = make("new 50", 50);
  auto new10 = make("new 10", 10);
  auto first = make("first", 1);
  EXPECT_EQ(ids_of(ready_items(s.client, h.project, "agent-a")),
            (std::vector<std::string>{first, old10, new10, old50, new50}));
}

// ---- claim (spec §8.1, §8.2; scenarios 19, 29, 96) ----------------------------------------------

TEST(LifecycleE2e, ClaimReturnsTaskLeaseAndSnapshot) {
  running_server s;
  auto h = setup_h(s.client);
  auto task = create_task(s.client, h.project, h.milestone, "Hash me", tags({"backend"}));
  auto id = id_of(task);
  auto body = claim(s.client, h.project, id, "agent-a", {{"claim_mode", "pull"}});
  EXPECT_EQ(body.size(), 3u) << json::serialize(body);

  auto& t = body.at("task").as_object();
  EXPECT_EQ(id_of(t), id);
  EXPECT_EQ(str(t, "state"), "claimed");
  EXPECT_EQ(t.size(), 20u);

  auto& lease = body.at("lease").as_object();
  EXPECT_EQ(lease.size(), 11u) << json::serialize(lease);
  EXPECT_FALSE(str(lease, "id").empty());
  EXPECT_EQ(str(lease, "project_id"), h.project);
  EXPECT_EQ(str(lease, "task_id"), id);
  EXPECT_EQ(str(lease, "agent_id"), "agent-a");
  EXPECT_FALSE(str(lease, "token").empty());
  EXPECT_EQ(str(lease, "status"), "active");
  EXPECT_EQ(num(lease.at("fencing_counter")), 1);
  EXPECT_EQ(lease.at("released_at"), json::value(nullptr));
  EXPECT_EQ(lease.at("heartbeat_at"), lease.at("created_at"));
  // The reference's default lease: 300 s from the claim.
  EXPECT_EQ(iso_micros(lease.at("expires_at")) - iso_micros(lease.at("created_at")), 300'000'000);

  auto& snap = body.at("execution_snapshot").as_object();
  EXPECT_EQ(snap.size(), 9u) << json::serialize(snap);
  EXPECT_FALSE(str(snap, "id").empty());
  EXPECT_EQ(str(snap, "project_id"), h.project);
  EXPECT_EQ(str(snap, "task_id"), id);
  EXPECT_EQ(str(snap, "lease_id"), str(lease, "id"));
  EXPECT_EQ(num(snap.at("captured_plan_version")), 1);
  EXPECT_EQ(str(snap, "captured_by"), "agent-a");
  EXPECT_EQ(snap.at("work_spec_payload"), task.at("work_spec"));
  auto hash = str(snap, "work_spec_hash");
  EXPECT_TRUE(is_lower_hex(hash, 64)) << hash;
  // SHA-256 of the canonical rendering (§8.2) of the stored work_spec:
  // {"acceptance_criteria": ["done"], "constraints": [], "interfaces": [], "objective":
  // "Do Hash me", "path_hints": []}
  EXPECT_EQ(hash, "c0517f89ce7e71822ecf40d3dda78fba47ea21e474225a73c8816c24e77da6ea");

  EXPECT_EQ(str(get_task(s.client, id), "state"), "claimed");
  EXPECT_TRUE(ready_items(s.client, h.project, "agent-a").empty());
}

TEST(LifecycleE2e, ClaimTakesTtlSeconds) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = id_of(create_task(s.client, h.project, h.milestone, "A"));
  auto b = id_of(create_task(s.client, h.project, h.milestone, "B"));
  auto lease_a = claim(s.client, h.project, a, "agent-a", ttl(120)).at("lease").as_object();
  EXPECT_EQ(iso_micros(lease_a.at("expires_at")) - iso_micros(lease_a.at("created_at")),
            120'000'000);
  auto lease_b = claim(s.client, h.project, b, "agent-a", ttl(90.25)).at("lease").as_object();
  EXPECT_EQ(iso_micros(lease_b.at("expires_at")) - iso_micros(lease_b.at("created_at")),
            90'250'000);
}

TEST(LifecycleE2e, FencingCounterGrowsAcrossClaimsAndHashStaysTheSame) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Again"));
  auto other = id_of(create_task(s.client, h.project, h.milestone, "Other"));
  auto first = claim(s.client, h.project, id, "agent-a", ttl(long_ttl));
  EXPECT_EQ(num(first.at("lease").at("fencing_counter")), 1);
  // The holder hands the task back (blocked releases the lease), then it is ready again.
  transition(s.client, h.project, id, "blocked", "agent-a");
  transition(s.client, h.project, id, "ready", "planner");
  auto second = claim(s.client, h.project, id, "agent-b", ttl(long_ttl));
  EXPECT_EQ(num(second.at("lease").at("fencing_counter")), 2);
  EXPECT_NE(lease_token(second), lease_token(first));
  EXPECT_NE(second.at("lease").at("id"), first.at("lease").at("id"));
  auto hash1 = str(first.at("execution_snapshot").as_object(), "work_spec_hash");
  auto hash2 = str(second.at("execution_snapshot").as_object(), "work_spec_hash");
  EXPECT_TRUE(is_lower_hex(hash1, 64)) << hash1;
  EXPECT_EQ(hash1, hash2);
  // Counters are per task, and another work_spec hashes differently.
  auto third = claim(s.client, h.project, other, "agent-b", ttl(long_ttl));
  EXPECT_EQ(num(third.at("lease").at("fencing_counter")), 1);
  EXPECT_NE(str(third.at("execution_snapshot").as_object(), "work_spec_hash"), hash1);
}

TEST(LifecycleE2e, ClaimWithStalePlanVersionIsRefusedFirst) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Stale"));
  auto other = setup_h(s.client, "Other");
  // Even before the task lookup: an unknown id, a task of another project, a malformed id.
  for (std::string ref : {std::string(unknown_uuid), id, std::string("not-a-task")}) {
    auto project = ref == id ? other.project : h.project;
    auto r = post_claim(s.client, project, ref, "agent-a", {{"seen_plan_version", 0}});
    EXPECT_TRUE(refused(r, 409, "PLAN_STALE"));
    EXPECT_TRUE(retryable(r)) << r.body;
    EXPECT_EQ(details_of(r), (json::object{{"current_plan_version", 1}})) << r.body;
  }
  EXPECT_EQ(str(get_task(s.client, id), "state"), "ready");
  // Current or newer versions pass.
  EXPECT_EQ(post_claim(s.client, h.project, id, "agent-a", {{"seen_plan_version", 1}}).status, 200);
  auto later = id_of(create_task(s.client, h.project, h.milestone, "Later"));
  EXPECT_EQ(post_claim(s.client, h.project, later, "agent-a", {{"seen_plan_version", 7}}).status,
            200);
  // A claimed task with a stale version: PLAN_STALE still comes before TASK_NOT_CLAIMABLE.
  auto r = post_claim(s.client, h.project, id, "agent-b", {{"seen_plan_version", 0}});
  EXPECT_TRUE(refused(r, 409, "PLAN_STALE"));
}

TEST(LifecycleE2e, ClaimOfAMissingTaskIsNotFound) {
  running_server s;
  auto h = setup_h(s.client);
  auto other = setup_h(s.client, "Other");
  auto theirs = id_of(create_task(s.client, other.project, other.milestone, "Theirs"));
  for (std::string ref : {std::string(unknown_uuid), std::string("not-a-task"), theirs}) {
    auto r = post_claim(s.client, h.project, ref, "agent-a");
    EXPECT_TRUE(refused(r, 404, "TASK_NOT_FOUND"));
  }
  EXPECT_EQ(str(get_task(s.client, theirs), "state"), "ready");
}

TEST(LifecycleE2e, ClaimOfATaskThatIsNotReadyIsRefused) {
  running_server s;
  auto h = setup_h(s.client);
  auto held = id_of(create_task(s.client, h.project, h.milestone, "Held"));
  claim(s.client, h.project, held, "agent-a", ttl(long_ttl));
  for (auto agent : {"agent-b", "agent-a"}) {
    auto r = post_claim(s.client, h.project, held, agent);
    EXPECT_TRUE(refused(r, 409, "TASK_NOT_CLAIMABLE"));
    EXPECT_EQ(str(details_of(r), "state"), "claimed") << r.body;
    EXPECT_EQ(str(details_of(r), "held_by"), "agent-a") << r.body;
  }
  // Claiming is optional: a task started without a claim is not claimable either.
  auto started = id_of(create_task(s.client, h.project, h.milestone, "Started"));
  transition(s.client, h.project, started, "in_progress", "dev");
  EXPECT_TRUE(
    refused(post_claim(s.client, h.project, started, "agent-a"), 409, "TASK_NOT_CLAIMABLE"));
  // Scenario 29: a claimed task forced to blocked is refused by its state.
  auto blocked = id_of(create_task(s.client, h.project, h.milestone, "Blocked"));
  claim(s.client, h.project, blocked, "agent-a", ttl(long_ttl));
  transition(s.client, h.project, blocked, "blocked", "planner", forced());
  EXPECT_TRUE(
    refused(post_claim(s.client, h.project, blocked, "agent-b"), 409, "TASK_NOT_CLAIMABLE"));
}

TEST(LifecycleE2e, ClaimHonoursReservations) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Reserved", tags({"backend"})));
  ASSERT_EQ(post_assign(s.client, h.project, id, "agent-b").status, 200);
  auto r = post_claim(s.client, h.project, id, "agent-a");
  EXPECT_TRUE(refused(r, 409, "RESERVATION_CONFLICT"));
  EXPECT_EQ(str(details_of(r), "reserved_for"), "agent-b") << r.body;
  // RESERVATION_CONFLICT comes before the capability check.
  EXPECT_TRUE(refused(
    post_claim(s.client, h.project, id, "agent-a", {{"capabilities", json::array{"frontend"}}}),
    409, "RESERVATION_CONFLICT"));
  EXPECT_EQ(str(get_task(s.client, id), "state"), "reserved");

  auto body = claim(s.client, h.project, id, "agent-b", ttl(long_ttl));
  EXPECT_EQ(str(body.at("task").as_object(), "state"), "claimed");
  auto events = task_timeline(s.client, h.project, id);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().at("type"), json::value("task_claimed"));
  EXPECT_EQ(events.back().at("payload").at("reservation_consumed"), json::value(true));
}

TEST(LifecycleE2e, ClaimChecksCapabilities) {
  running_server s;
  auto h = setup_h(s.client);
  auto backend = id_of(create_task(s.client, h.project, h.milestone, "B", tags({"backend"})));
  auto untagged = id_of(create_task(s.client, h.project, h.milestone, "U"));
  auto r = post_claim(s.client, h.project, backend, "agent-a",
                      {{"capabilities", json::array{"frontend"}}});
  EXPECT_TRUE(refused(r, 409, "CAPABILITY_MISMATCH"));
  EXPECT_EQ(details_of(r).at("capability_tags"), (json::value(json::array{"backend"}))) << r.body;
  // An untagged task matches no capability set (the ready list's rule).
  EXPECT_TRUE(
    refused(post_claim(s.client, h.project, untagged, "agent-a", {{"capabilities", "backend"}}),
            409, "CAPABILITY_MISMATCH"));
  EXPECT_EQ(str(get_task(s.client, backend), "state"), "ready");
  // A comma string works like a list; without capabilities nothing is checked.
  EXPECT_EQ(post_claim(s.client, h.project, backend, "agent-a",
                       {{"capabilities", "frontend, backend"}, {"ttl_seconds", long_ttl}})
              .status,
            200);
  EXPECT_EQ(post_claim(s.client, h.project, untagged, "agent-a", ttl(long_ttl)).status, 200);
}

TEST(LifecycleE2e, ClaimWaitsForDependencies) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = create_task(s.client, h.project, h.milestone, "A");
  auto b = id_of(create_task(s.client, h.project, h.milestone, "B", tags({"backend"})));
  create_edge(s.client, h.project, id_of(a), b, "implemented");
  auto r = post_claim(s.client, h.project, b, "agent-a");
  EXPECT_TRUE(refused(r, 409, "DEPENDENCIES_UNMET"));
  auto waiting = details_of(r).at("waiting_on").as_array();
  ASSERT_EQ(waiting.size(), 1u) << r.body;
  EXPECT_EQ(waiting.at(0).at("task_id"), json::value(id_of(a)));
  EXPECT_EQ(waiting.at(0).at("short_id"), a.at("short_id"));
  EXPECT_EQ(waiting.at(0).at("state"), json::value("ready"));
  EXPECT_EQ(waiting.at(0).at("unlock_on"), json::value("implemented"));
  // The capability check comes first.
  EXPECT_TRUE(refused(
    post_claim(s.client, h.project, b, "agent-a", {{"capabilities", json::array{"frontend"}}}), 409,
    "CAPABILITY_MISMATCH"));
  EXPECT_EQ(str(get_task(s.client, b), "state"), "ready");

  transition(s.client, h.project, id_of(a), "in_progress", "dev");
  transition(s.client, h.project, id_of(a), "implemented", "dev");
  EXPECT_EQ(post_claim(s.client, h.project, b, "agent-a", ttl(long_ttl)).status, 200);
}

TEST(LifecycleE2e, ClaimRefusesInvalidBodies) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Valid"));
  std::vector<std::pair<const char*, json::object>> cases{
    {"ttl 0", {{"ttl_seconds", 0}}},
    {"ttl 100000", {{"ttl_seconds", 100000}}},
    {"ttl negative", {{"ttl_seconds", -5}}},
    {"ttl string", {{"ttl_seconds", "300"}}},
    {"claim_mode push", {{"claim_mode", "push"}}},
    {"seen_plan_version string", {{"seen_plan_version", "1"}}},
  };
  for (auto& [name, extra] : cases)
    EXPECT_EQ(post_claim(s.client, h.project, id, "agent-a", extra).status, 422) << name;
  auto no_agent =
    s.client.post("/v1/tasks/" + id + "/claim", json::object{{"project_id", h.project}});
  EXPECT_EQ(no_agent.status, 422) << no_agent.body;
  EXPECT_EQ(str(get_task(s.client, id), "state"), "ready");
  EXPECT_EQ(task_timeline(s.client, h.project, id).size(), 1u);  // task_created only
}

// ---- claim-next ---------------------------------------------------------------------------------

TEST(LifecycleE2e, ClaimNextTakesReservationsFirstThenPriority) {
  running_server s;
  auto h = setup_h(s.client);
  auto make = [&](const char* title, int priority) {
    return id_of(create_task(s.client, h.project, h.milestone, title, {{"priority", priority}}));
  };
  auto low = make("low", 30);
  auto reserved = make("reserved for a", 90);
  auto high = make("high", 1);
  auto mid = make("mid", 20);
  auto other = make("reserved for b", 0);
  ASSERT_EQ(post_assign(s.client, h.project, reserved, "agent-a").status, 200);
  ASSERT_EQ(post_assign(s.client, h.project, other, "agent-b").status, 200);

  std::vector<std::string> order;
  for (int i = 0; i < 4; ++i) {
    auto r = post_claim_next(s.client, h.project, "agent-a");
    auto body = expect_object(r, 200, "claim-next");
    EXPECT_EQ(body.size(), 3u);
    EXPECT_EQ(str(body.at("task").as_object(), "state"), "claimed");
    EXPECT_EQ(str(body.at("lease").as_object(), "agent_id"), "agent-a");
    EXPECT_EQ(str(body.at("execution_snapshot").as_object(), "captured_by"), "agent-a");
    order.push_back(id_of(body.at("task").as_object()));
  }
  EXPECT_EQ(order, (std::vector<std::string>{reserved, high, mid, low}));
  // What is left is reserved for someone else.
  EXPECT_TRUE(refused(post_claim_next(s.client, h.project, "agent-a"), 409, "NOTHING_CLAIMABLE"));
  auto theirs = expect_object(post_claim_next(s.client, h.project, "agent-b"), 200, "claim-next");
  EXPECT_EQ(id_of(theirs.at("task").as_object()), other);
}

TEST(LifecycleE2e, ClaimNextHonoursCapabilitiesAndTtl) {
  running_server s;
  auto h = setup_h(s.client);
  create_task(s.client, h.project, h.milestone, "backend",
              {{"priority", 1}, {"capability_tags", json::array{"backend"}}});
  auto fe = id_of(create_task(s.client, h.project, h.milestone, "frontend",
                              {{"priority", 50}, {"capability_tags", json::array{"frontend"}}}));
  auto body = expect_object(post_claim_next(s.client, h.project, "agent-f",
                                            {{"capabilities", "frontend"}, {"ttl_seconds", 120}}),
                            200, "claim-next");
  EXPECT_EQ(id_of(body.at("task").as_object()), fe);
  auto& lease = body.at("lease").as_object();
  EXPECT_EQ(iso_micros(lease.at("expires_at")) - iso_micros(lease.at("created_at")), 120'000'000);
  EXPECT_TRUE(refused(post_claim_next(s.client, h.project, "agent-f",
                                      {{"capabilities", json::array{"frontend", "docs"}}}),
                      409, "NOTHING_CLAIMABLE"));
  EXPECT_EQ(post_claim_next(s.client, h.project, "agent-f", {{"ttl_seconds", 0}}).status, 422);
  EXPECT_TRUE(refused(post_claim_next(s.client, h.project, "agent-f", {{"seen_plan_version", 0}}),
                      409, "PLAN_STALE"));
  EXPECT_TRUE(
    refused(post_claim_next(s.client, unknown_uuid, "agent-f"), 404, "PROJECT_NOT_FOUND"));
}

TEST(LifecycleE2e, NothingClaimableExplainsEachCandidate) {
  running_server s;
  auto h = setup_h(s.client);
  auto held = id_of(create_task(s.client, h.project, h.milestone, "Held"));
  auto waiting = id_of(create_task(s.client, h.project, h.milestone, "Waiting"));
  auto reserved = id_of(create_task(s.client, h.project, h.milestone, "Reserved"));
  create_edge(s.client, h.project, held, waiting, "implemented");
  claim(s.client, h.project, held, "agent-c", ttl(long_ttl));
  ASSERT_EQ(post_assign(s.client, h.project, reserved, "agent-b").status, 200);

  auto r = post_claim_next(s.client, h.project, "agent-a");
  EXPECT_TRUE(refused(r, 409, "NOTHING_CLAIMABLE"));
  auto candidates = details_of(r).at("candidates").as_array();
  std::map<std::string, json::object> by_task;
  for (auto& c : candidates)
    by_task[std::string(c.at("task_id").as_string())] = c.as_object();
  ASSERT_EQ(by_task.size(), 3u) << r.body;

  auto& w = by_task[waiting];
  EXPECT_EQ(str(w, "reason"), "waiting_on_dependencies");
  ASSERT_TRUE(w.contains("waiting_on")) << r.body;
  ASSERT_EQ(w.at("waiting_on").as_array().size(), 1u);
  EXPECT_EQ(w.at("waiting_on").at(0).at("task_id"), json::value(held));
  auto& res = by_task[reserved];
  EXPECT_EQ(str(res, "reason"), "reserved_for_other");
  EXPECT_EQ(str(res, "reserved_for"), "agent-b");
  auto& hd = by_task[held];
  EXPECT_EQ(str(hd, "reason"), "held");
  EXPECT_EQ(str(hd, "held_by"), "agent-c");
  // Nothing was claimed by the refused attempt.
  EXPECT_EQ(str(get_task(s.client, waiting), "state"), "ready");
  EXPECT_EQ(str(get_task(s.client, reserved), "state"), "reserved");
}

// ---- heartbeat (spec §8.3; scenarios 19, 20, 95) ------------------------------------------------

TEST(LifecycleE2e, HeartbeatExtendsTheLease) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Beat"));
  auto claimed = claim(s.client, h.project, id, "agent-a", ttl(60));
  auto token = lease_token(claimed);

  auto r = post_heartbeat(s.client, h.project, id, "agent-a", token, {{"seen_plan_version", 1}});
  auto body = expect_object(r, 200, "heartbeat");
  EXPECT_EQ(body.size(), 4u) << r.body;
  EXPECT_EQ(num(body.at("plan_version")), 1);
  EXPECT_EQ(body.at("stale"), json::value(false));
  EXPECT_EQ(body.at("stale_action"), json::value(nullptr));
  // Without ttl_seconds the lease is renewed by its own TTL, from the heartbeat's time.
  auto events = task_timeline(s.client, h.project, id);
  ASSERT_EQ(events.back().at("type"), json::value("lease_renewed"));
  auto renewed_at = iso_micros(events.back().at("time"));
  EXPECT_EQ(iso_micros(body.at("lease_expires_at")) - renewed_at, 60'000'000);
  EXPECT_EQ(num(events.back().at("payload").at("expires_at")), renewed_at + 60'000'000);
  EXPECT_EQ(num(events.back().at("payload").at("fencing_counter")), 1);

  auto longer = expect_object(
    post_heartbeat(s.client, h.project, id, "agent-a", token, ttl(long_ttl)), 200, "heartbeat");
  events = task_timeline(s.client, h.project, id);
  EXPECT_EQ(iso_micros(longer.at("lease_expires_at")) - iso_micros(events.back().at("time")),
            600'000'000);
  EXPECT_GT(iso_micros(longer.at("lease_expires_at")), iso_micros(body.at("lease_expires_at")));
  EXPECT_EQ(str(get_task(s.client, id), "state"), "claimed");
  EXPECT_EQ(post_heartbeat(s.client, h.project, id, "agent-a", token, ttl(0)).status, 422);
}

TEST(LifecycleE2e, HeartbeatWithAWrongLeaseIsInvalid) {
  running_server s;
  auto h = setup_h(s.client);
  auto other = setup_h(s.client, "Other");
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Beat"));
  auto token = lease_token(claim(s.client, h.project, id, "agent-a", ttl(long_ttl)));
  auto before = task_timeline(s.client, h.project, id).size();

  EXPECT_TRUE(refused(post_heartbeat(s.client, h.project, id, "agent-a", unknown_uuid), 409,
                      "LEASE_INVALID"));
  EXPECT_TRUE(
    refused(post_heartbeat(s.client, h.project, id, "agent-b", token), 409, "LEASE_INVALID"));
  EXPECT_TRUE(
    refused(post_heartbeat(s.client, other.project, id, "agent-a", token), 409, "LEASE_INVALID"));
  EXPECT_TRUE(refused(post_heartbeat(s.client, h.project, unknown_uuid, "agent-a", token), 409,
                      "LEASE_INVALID"));
  EXPECT_EQ(task_timeline(s.client, h.project, id).size(), before);
  EXPECT_EQ(post_heartbeat(s.client, h.project, id, "agent-a", token).status, 200);
  auto missing = s.client.post("/v1/tasks/" + id + "/heartbeat",
                               json::object{{"project_id", h.project}, {"agent_id", "agent-a"}});
  EXPECT_EQ(missing.status, 422) << missing.body;
}

TEST(LifecycleE2e, HeartbeatWithStalePlanVersion) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Beat"));
  auto token = lease_token(claim(s.client, h.project, id, "agent-a", ttl(long_ttl)));
  auto r = post_heartbeat(s.client, h.project, id, "agent-a", token, {{"seen_plan_version", 0}});
  EXPECT_TRUE(refused(r, 409, "PLAN_STALE"));
  EXPECT_TRUE(retryable(r)) << r.body;
  EXPECT_EQ(details_of(r), (json::object{{"current_plan_version", 1}, {"stale_action", "refresh"}}))
    << r.body;
  // Before the lease check: a wrong token with a stale version is stale first.
  EXPECT_TRUE(
    refused(post_heartbeat(s.client, h.project, id, "agent-b", "nope", {{"seen_plan_version", 0}}),
            409, "PLAN_STALE"));
}

// The lease covers the work: heartbeats keep working in in_progress and end with it.
TEST(LifecycleE2e, HeartbeatWorksWhileInProgressAndEndsAtImplemented) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Work"));
  auto token = lease_token(claim(s.client, h.project, id, "agent-a", ttl(long_ttl)));
  transition(s.client, h.project, id, "in_progress", "agent-a");
  EXPECT_EQ(post_heartbeat(s.client, h.project, id, "agent-a", token).status, 200);
  transition(s.client, h.project, id, "implemented", "agent-a", {{"lease_token", token}});
  EXPECT_TRUE(
    refused(post_heartbeat(s.client, h.project, id, "agent-a", token), 409, "LEASE_INVALID"));

  // Blocked also takes the task out of the agent's hands.
  auto other = id_of(create_task(s.client, h.project, h.milestone, "Other"));
  auto t2 = lease_token(claim(s.client, h.project, other, "agent-a", ttl(long_ttl)));
  transition(s.client, h.project, other, "blocked", "agent-a");
  EXPECT_TRUE(
    refused(post_heartbeat(s.client, h.project, other, "agent-a", t2), 409, "LEASE_INVALID"));
}

// ---- assign and unassign (spec §8.5; scenarios 96, 97) ------------------------------------------

TEST(LifecycleE2e, AssignReservesTheTask) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Assign"));
  auto r = post_assign(s.client, h.project, id, "agent-b", ttl(120));
  auto res = expect_object(r, 200, "assign");
  EXPECT_EQ(res.size(), 11u) << r.body;
  EXPECT_FALSE(str(res, "id").empty());
  EXPECT_EQ(str(res, "project_id"), h.project);
  EXPECT_EQ(str(res, "task_id"), id);
  EXPECT_EQ(str(res, "assignee_agent_id"), "agent-b");
  EXPECT_EQ(str(res, "mode"), "hard");
  EXPECT_EQ(str(res, "status"), "active");
  EXPECT_EQ(res.at("ttl_seconds"), json::value(120));
  EXPECT_EQ(str(res, "created_by"), "planner");
  EXPECT_EQ(res.at("released_at"), json::value(nullptr));
  EXPECT_EQ(iso_micros(res.at("expires_at")) - iso_micros(res.at("created_at")), 120'000'000);
  EXPECT_EQ(str(get_task(s.client, id), "state"), "reserved");

  auto d = id_of(create_task(s.client, h.project, h.milestone, "Default"));
  auto def = expect_object(post_assign(s.client, h.project, d, "agent-b"), 200, "assign");
  EXPECT_EQ(num(def.at("ttl_seconds")), 1800);
  auto f = id_of(create_task(s.client, h.project, h.milestone, "Fraction"));
  auto frac = expect_object(post_assign(s.client, h.project, f, "agent-b", ttl(90.5)), 200, "a");
  EXPECT_EQ(frac.at("ttl_seconds"), json::value(90.5));
}

TEST(LifecycleE2e, AssignRefusals) {
  running_server s;
  auto h = setup_h(s.client);
  auto other = setup_h(s.client, "Other");
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Twice", tags({"backend"})));
  ASSERT_EQ(post_assign(s.client, h.project, id, "agent-b").status, 200);
  for (auto agent : {"agent-b", "agent-c"}) {
    auto r = post_assign(s.client, h.project, id, agent);
    EXPECT_TRUE(refused(r, 409, "RESERVATION_EXISTS"));
    EXPECT_EQ(str(details_of(r), "reserved_for"), "agent-b") << r.body;
  }

  auto claimed = id_of(create_task(s.client, h.project, h.milestone, "Claimed"));
  claim(s.client, h.project, claimed, "agent-a", ttl(long_ttl));
  auto r = post_assign(s.client, h.project, claimed, "agent-b");
  EXPECT_TRUE(refused(r, 409, "TASK_NOT_ASSIGNABLE"));
  EXPECT_EQ(str(details_of(r), "state"), "claimed") << r.body;
  auto done = id_of(create_task(s.client, h.project, h.milestone, "Done"));
  transition(s.client, h.project, done, "integrated", "planner", forced());
  EXPECT_TRUE(
    refused(post_assign(s.client, h.project, done, "agent-b"), 409, "TASK_NOT_ASSIGNABLE"));

  for (std::string ref : {std::string(unknown_uuid), std::string("not-a-task")})
    EXPECT_TRUE(refused(post_assign(s.client, h.project, ref, "agent-b"), 404, "TASK_NOT_FOUND"));
  auto open_task = id_of(create_task(s.client, h.project, h.milestone, "Free", tags({"backend"})));
  EXPECT_TRUE(
    refused(post_assign(s.client, other.project, open_task, "agent-b"), 404, "TASK_NOT_FOUND"));
  EXPECT_TRUE(refused(post_assign(s.client, h.project, open_task, "agent-b",
                                  {{"capabilities", json::array{"frontend"}}}),
                      409, "CAPABILITY_MISMATCH"));
  for (auto bad : {json::value(0), json::value(100000), json::value("60")})
    EXPECT_EQ(post_assign(s.client, h.project, open_task, "agent-b", {{"ttl_seconds", bad}}).status,
              422)
      << json::serialize(bad);
  auto no_creator =
    s.client.post("/v1/tasks/" + open_task + "/assign",
                  json::object{{"project_id", h.project}, {"assignee_agent_id", "agent-b"}});
  EXPECT_EQ(no_creator.status, 422) << no_creator.body;
  EXPECT_EQ(str(get_task(s.client, open_task), "state"), "ready");
  EXPECT_EQ(task_timeline(s.client, h.project, open_task).size(), 1u);
  // With matching capabilities the reservation is made.
  EXPECT_EQ(
    post_assign(s.client, h.project, open_task, "agent-b", {{"capabilities", "backend"}}).status,
    200);
}

TEST(LifecycleE2e, UnassignMakesTheTaskReadyForEveryone) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Unassign"));
  auto reservation = expect_object(post_assign(s.client, h.project, id, "agent-b"), 200, "assign");
  EXPECT_TRUE(ready_items(s.client, h.project, "agent-a").empty());

  auto r = post_unassign(s.client, h.project, id);
  auto body = expect_object(r, 200, "unassign");
  EXPECT_EQ(str(body.at("task").as_object(), "state"), "ready");
  auto& released = body.at("reservation").as_object();
  EXPECT_EQ(str(released, "id"), str(reservation, "id"));
  EXPECT_EQ(str(released, "status"), "released");
  EXPECT_NE(released.at("released_at"), json::value(nullptr));
  EXPECT_EQ(str(get_task(s.client, id), "state"), "ready");
  EXPECT_EQ(ids_of(ready_items(s.client, h.project, "agent-a")), std::vector<std::string>{id});
  auto events = task_timeline(s.client, h.project, id);
  ASSERT_EQ(events.back().at("type"), json::value("reservation_released"));
  EXPECT_EQ(events.back().at("payload").at("reason"), json::value("unassigned"));

  EXPECT_TRUE(refused(post_unassign(s.client, h.project, id), 404, "RESERVATION_NOT_FOUND"));
  auto never = id_of(create_task(s.client, h.project, h.milestone, "Never reserved"));
  EXPECT_TRUE(refused(post_unassign(s.client, h.project, never), 404, "RESERVATION_NOT_FOUND"));
  EXPECT_TRUE(refused(post_unassign(s.client, h.project, unknown_uuid), 404, "TASK_NOT_FOUND"));
  EXPECT_EQ(post_claim(s.client, h.project, id, "agent-a", ttl(long_ttl)).status, 200);
}

// ---- the state machine (spec §6) ----------------------------------------------------------------

const std::vector<std::string> targets{"backlog",     "ready",      "in_progress",
                                       "implemented", "integrated", "conflict",
                                       "blocked",     "abandoned",  "cancelled"};

// Spec §6.2, written out independently of the server's table.

// Every from-state (forced there, or claimed / reserved through their own routes) against
// every target: allowed moves succeed, the same state is a no-op, the rest are refused.
TEST(LifecycleE2e, TransitionTableOfSpec62) {
  running_server s;
  auto h = setup_h(s.client);
  std::vector<std::string> froms = targets;
  froms.push_back("claimed");
  froms.push_back("reserved");
  int n = 0;
  for (auto& from : froms)
    for (auto& to : targets) {
      auto id = id_of(create_task(s.client, h.project, h.milestone, "T" + std::to_string(++n)));
      if (from == "claimed")
        claim(s.client, h.project, id, "agent-t", ttl(long_ttl));
      else if (from == "reserved")
        ASSERT_EQ(post_assign(s.client, h.project, id, "agent-t").status, 200);
      else if (from != "ready")
        transition(s.client, h.project, id, from, "planner", forced());
      ASSERT_EQ(str(get_task(s.client, id), "state"), from);

      auto r = post_transition(s.client, h.project, id, to, "lead", reviewed());
      if (from == to || spec_transition_allowed(from, to)) {
        EXPECT_EQ(r.status, 200) << from << " -> " << to << ": " << r.body;
        if (r.status == 200) {
          EXPECT_EQ(r.json().at("task").at("state"), json::value(to)) << from << " -> " << to;
        }
      } else {
        EXPECT_TRUE(refused(r, 409, "INVALID_STATE_TRANSITION")) << from << " -> " << to;
        EXPECT_EQ(str(get_task(s.client, id), "state"), from) << from << " -> " << to;
      }
    }
}

TEST(LifecycleE2e, ClaimedAndReservedAreNeverTargets) {
  running_server s;
  auto h = setup_h(s.client);
  auto ready = id_of(create_task(s.client, h.project, h.milestone, "Ready"));
  auto claimed = id_of(create_task(s.client, h.project, h.milestone, "Claimed"));
  auto reserved = id_of(create_task(s.client, h.project, h.milestone, "Reserved"));
  claim(s.client, h.project, claimed, "agent-a", ttl(long_ttl));
  ASSERT_EQ(post_assign(s.client, h.project, reserved, "agent-a").status, 200);
  auto digest = get_digest(s.client);
  for (auto& id : {ready, claimed, reserved})
    for (auto target : {"claimed", "reserved"})
      for (bool force : {false, true}) {
        auto r = post_transition(s.client, h.project, id, target, "planner", {{"force", force}});
        EXPECT_TRUE(refused(r, 409, "STATE_NOT_ALLOWED")) << target << " force " << force;
        if (r.status == 409) {
          EXPECT_EQ(r.json().at("error").at("message"),
                    json::value("claimed and reserved are entered by claim and assign, not by a "
                                "transition"));
        }
      }
  EXPECT_EQ(get_digest(s.client), digest);
}

TEST(LifecycleE2e, TransitionToTheSameStateWritesNothing) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Same"));
  auto before = get_task(s.client, id);
  auto events = task_timeline(s.client, h.project, id).size();
  auto digest = get_digest(s.client);
  auto r = expect_object(post_transition(s.client, h.project, id, "ready", "planner"), 200, "noop");
  EXPECT_EQ(r.at("task"), json::value(before));
  EXPECT_EQ(task_timeline(s.client, h.project, id).size(), events);
  EXPECT_EQ(get_digest(s.client), digest);

  // No further checks either: integrated → integrated needs no review.
  transition(s.client, h.project, id, "integrated", "planner", forced());
  events = task_timeline(s.client, h.project, id).size();
  auto again = post_transition(s.client, h.project, id, "integrated", "planner");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(task_timeline(s.client, h.project, id).size(), events);
}

TEST(LifecycleE2e, TransitionRecordsAnEvent) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Event"));
  auto task =
    transition(s.client, h.project, id, "in_progress", "lead-dev", {{"reason", "starting work"}});
  EXPECT_EQ(str(task, "state"), "in_progress");
  EXPECT_EQ(str(get_task(s.client, id), "state"), "in_progress");
  auto events = task_timeline(s.client, h.project, id);
  ASSERT_EQ(event_types(events),
            (std::vector<std::string>{"task_created", "task_state_transitioned"}));
  auto& p = events.back().at("payload").as_object();
  EXPECT_EQ(str(p, "task_id"), id);
  EXPECT_EQ(str(p, "from_state"), "ready");
  EXPECT_EQ(str(p, "to_state"), "in_progress");
  EXPECT_EQ(str(p, "actor_id"), "lead-dev");
  EXPECT_EQ(str(p, "reason"), "starting work");
  EXPECT_EQ(p.at("force"), json::value(false));
}

TEST(LifecycleE2e, TransitionRefusesUnknownTasksAndBadBodies) {
  running_server s;
  auto h = setup_h(s.client);
  auto other = setup_h(s.client, "Other");
  auto theirs = id_of(create_task(s.client, other.project, other.milestone, "Theirs"));
  for (std::string ref : {std::string(unknown_uuid), std::string("not-a-task"), theirs})
    EXPECT_TRUE(refused(post_transition(s.client, h.project, ref, "in_progress", "dev"), 404,
                        "TASK_NOT_FOUND"))
      << ref;
  EXPECT_EQ(post_transition(s.client, other.project, theirs, "done", "dev").status, 422);
  EXPECT_EQ(
    post_transition(s.client, other.project, theirs, "in_progress", "dev", {{"reason", ""}}).status,
    422);
  EXPECT_EQ(
    post_transition(s.client, other.project, theirs, "in_progress", "dev", {{"force", "yes"}})
      .status,
    422);
  EXPECT_EQ(str(get_task(s.client, theirs), "state"), "ready");
}

// ---- review rules (spec §9; scenarios 23-28, 31, 47) --------------------------------------------

TEST(LifecycleE2e, IntegrationNeedsAReviewInOrder) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Review"));
  transition(s.client, h.project, id, "in_progress", "lead-dev");
  transition(s.client, h.project, id, "implemented", "lead-dev");
  auto digest = get_digest(s.client);
  auto refuse = [&](json::object extra, const char* code, const char* actor = "agent-dev") {
    auto r = post_transition(s.client, h.project, id, "integrated", actor, std::move(extra));
    EXPECT_TRUE(refused(r, 409, code));
    if (r.status == 409) {
      // A sentence, never the bare code (the reference only repeats the code here).
      auto message = std::string(r.json().at("error").at("message").as_string());
      EXPECT_NE(message, code);
      EXPECT_NE(message.find(' '), std::string::npos) << message;
    }
  };
  json::array evidence{"review://thread/123"};
  refuse({}, "REVIEW_REQUIRED_FOR_INTEGRATION");
  refuse({{"review_evidence_refs", evidence}}, "REVIEW_REQUIRED_FOR_INTEGRATION");
  refuse({{"reviewed_by", "   "}, {"review_evidence_refs", evidence}},
         "REVIEW_REQUIRED_FOR_INTEGRATION");
  refuse({{"reviewed_by", nullptr}, {"review_evidence_refs", evidence}},
         "REVIEW_REQUIRED_FOR_INTEGRATION");
  refuse({{"reviewed_by", "senior-reviewer"}}, "REVIEW_EVIDENCE_REQUIRED");
  refuse({{"reviewed_by", "senior-reviewer"}, {"review_evidence_refs", json::array{" ", ""}}},
         "REVIEW_EVIDENCE_REQUIRED");
  // Evidence is checked before self-review.
  refuse({{"reviewed_by", "agent-dev"}}, "REVIEW_EVIDENCE_REQUIRED");
  refuse({{"reviewed_by", "agent-dev"}, {"review_evidence_refs", evidence}},
         "SELF_REVIEW_NOT_ALLOWED");
  refuse({{"reviewed_by", "  agent-dev "}, {"review_evidence_refs", evidence}},
         "SELF_REVIEW_NOT_ALLOWED");
  // Nor may the agent that implemented it review it, whoever asks.
  refuse({{"reviewed_by", "lead-dev"}, {"review_evidence_refs", evidence}},
         "SELF_REVIEW_NOT_ALLOWED", "orchestrator");
  EXPECT_EQ(str(get_task(s.client, id), "state"), "implemented");
  EXPECT_EQ(get_digest(s.client), digest) << "a refused transition wrote something";

  auto task = transition(s.client, h.project, id, "integrated", "agent-dev",
                         {{"reviewed_by", "senior-reviewer"},
                          {"review_evidence_refs", json::array{"", "review://thread/123"}}});
  EXPECT_EQ(str(task, "state"), "integrated");
  auto events = task_timeline(s.client, h.project, id);
  auto& p = events.back().at("payload").as_object();
  EXPECT_EQ(str(p, "reviewed_by"), "senior-reviewer");
  EXPECT_EQ(p.at("review_evidence_refs"), (json::value(json::array{"", "review://thread/123"})));
}

// The implementer is the agent that held the lease when the task became implemented.
TEST(LifecycleE2e, TheLeaseHolderMayNotReviewItsOwnWork) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Own work"));
  auto token = lease_token(claim(s.client, h.project, id, "agent-dev", ttl(long_ttl)));
  transition(s.client, h.project, id, "in_progress", "agent-dev", {{"lease_token", token}});
  transition(s.client, h.project, id, "implemented", "orchestrator");
  json::object self_review{{"reviewed_by", "agent-dev"},
                           {"review_evidence_refs", json::array{"review://1"}}};
  EXPECT_TRUE(refused(post_transition(s.client, h.project, id, "integrated", "lead", self_review),
                      409, "SELF_REVIEW_NOT_ALLOWED"));
  EXPECT_EQ(str(transition(s.client, h.project, id, "integrated", "lead", reviewed()), "state"),
            "integrated");
}

TEST(LifecycleE2e, GateTasksNeedAnApprovedDecision) {
  running_server s;
  auto h = setup_h(s.client);
  for (auto klass : {"review_gate", "merge_gate"}) {
    auto gate = create_task(s.client, h.project, h.milestone, klass, {{"task_class", klass}});
    EXPECT_EQ(str(gate, "task_class"), klass);
    auto id = id_of(gate);
    transition(s.client, h.project, id, "in_progress", "dev");
    transition(s.client, h.project, id, "implemented", "dev");
    // The review rules come first.
    EXPECT_TRUE(
      refused(post_transition(s.client, h.project, id, "integrated", "reviewer-1",
                              {{"reviewed_by", "reviewer-1"},
                               {"review_evidence_refs", json::array{"review://thread/1"}}}),
              409, "SELF_REVIEW_NOT_ALLOWED"));
    EXPECT_TRUE(refused(post_transition(s.client, h.project, id, "integrated", "lead", reviewed()),
                        409, "GATE_DECISION_REQUIRED"));
    EXPECT_EQ(str(get_task(s.client, id), "state"), "implemented");
    EXPECT_EQ(str(transition(s.client, h.project, id, "integrated", "lead", forced()), "state"),
              "integrated");
  }
}

TEST(LifecycleE2e, ForceBypassesTheTableAndTheReviewRules) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Forced"));
  // Scenario 24, then out of every terminal state and through the rest.
  std::vector<std::string> path{"integrated",  "backlog",  "cancelled", "in_progress", "abandoned",
                                "implemented", "conflict", "blocked",   "ready"};
  for (auto& to : path) {
    auto r = post_transition(s.client, h.project, id, to, "planner",
                             {{"force", true}, {"reason", "backfill historical completion"}});
    EXPECT_EQ(r.status, 200) << "-> " << to << ": " << r.body;
  }
  auto events = task_timeline(s.client, h.project, id);
  ASSERT_EQ(events.size(), path.size() + 1);
  for (size_t i = 0; i < path.size(); ++i) {
    auto& p = events.at(i + 1).at("payload").as_object();
    EXPECT_EQ(str(p, "to_state"), path[i]);
    EXPECT_EQ(p.at("force"), json::value(true));
  }
  EXPECT_EQ(str(get_task(s.client, id), "state"), "ready");
  // An implemented task integrates without any review when forced.
  transition(s.client, h.project, id, "implemented", "planner", forced());
  EXPECT_EQ(str(transition(s.client, h.project, id, "integrated", "planner", forced()), "state"),
            "integrated");
}

TEST(LifecycleE2e, RefusedTransitionsWriteNothing) {
  running_server s;
  auto h = setup_h(s.client);
  auto other = setup_h(s.client, "Other");
  auto ready = id_of(create_task(s.client, h.project, h.milestone, "Ready"));
  auto done = id_of(create_task(s.client, h.project, h.milestone, "Done"));
  transition(s.client, h.project, done, "implemented", "planner", forced());
  auto gate =
    id_of(create_task(s.client, h.project, h.milestone, "Gate", {{"task_class", "review_gate"}}));
  transition(s.client, h.project, gate, "implemented", "planner", forced());
  auto digest = get_digest(s.client);

  std::vector<http_response> refused{
    post_transition(s.client, h.project, ready, "integrated", "dev"),
    post_transition(s.client, h.project, ready, "implemented", "dev"),
    post_transition(s.client, h.project, ready, "claimed", "dev", forced()),
    post_transition(s.client, h.project, done, "in_progress", "dev"),
    post_transition(s.client, h.project, done, "integrated", "dev"),
    post_transition(s.client, h.project, done, "integrated", "dev", {{"reviewed_by", "rev"}}),
    post_transition(s.client, h.project, done, "integrated", "rev",
                    {{"reviewed_by", "rev"}, {"review_evidence_refs", json::array{"r://1"}}}),
    post_transition(s.client, h.project, gate, "integrated", "lead", reviewed()),
    post_transition(s.client, other.project, ready, "in_progress", "dev"),
    post_transition(s.client, h.project, ready, "not_a_state", "dev"),
  };
  for (auto& r : refused)
    EXPECT_TRUE(r.status == 409 || r.status == 404 || r.status == 422) << r.status << r.body;
  EXPECT_EQ(get_digest(s.client), digest);
  EXPECT_EQ(str(get_task(s.client, ready), "state"), "ready");
  EXPECT_EQ(str(get_task(s.client, done), "state"), "implemented");
  EXPECT_EQ(str(get_task(s.client, gate), "state"), "implemented");
}

// ---- artifacts (spec §12.1; scenarios 39, 40) ---------------------------------------------------

json::object artifact_body(const std::string& project, json::object extra = {}) {
  json::object body{{"project_id", project},
                    {"agent_id", "agent-1"},
                    {"branch", "task/feature"},
                    {"commit_sha", "abc123"},
                    {"check_suite_ref", "ci://suite/1"},
                    {"check_status", "passed"},
                    {"touched_files", json::array{"src/a.cpp", "src/b.cpp"}}};
  for (auto& [k, v] : extra)
    body[k] = v;
  return body;
}

TEST(LifecycleE2e, ArtifactsAreRecordedAndListedNewestFirst) {
  running_server s;
  auto h = setup_h(s.client);
  auto task = create_task(s.client, h.project, h.milestone, "Artifacts");
  auto id = id_of(task);
  auto r = s.client.post("/v1/tasks/" + id + "/artifacts", artifact_body(h.project));
  auto a1 = expect_object(r, 201, "artifact");
  EXPECT_EQ(a1.size(), 11u) << r.body;
  EXPECT_FALSE(str(a1, "id").empty());
  EXPECT_EQ(str(a1, "short_id"), str(task, "short_id") + ".A1");
  EXPECT_EQ(str(a1, "project_id"), h.project);
  EXPECT_EQ(str(a1, "task_id"), id);
  EXPECT_EQ(str(a1, "agent_id"), "agent-1");
  EXPECT_EQ(str(a1, "branch"), "task/feature");
  EXPECT_EQ(str(a1, "commit_sha"), "abc123");
  EXPECT_EQ(str(a1, "check_suite_ref"), "ci://suite/1");
  EXPECT_EQ(str(a1, "check_status"), "passed");
  EXPECT_EQ(a1.at("touched_files"), (json::value(json::array{"src/a.cpp", "src/b.cpp"})));
  EXPECT_FALSE(str(a1, "created_at").empty());

  auto minimal = s.client.post("/v1/tasks/" + id + "/artifacts",
                               json::object{{"project_id", h.project}, {"agent_id", "agent-2"}});
  auto a2 = expect_object(minimal, 201, "artifact");
  EXPECT_EQ(str(a2, "short_id"), str(task, "short_id") + ".A2");
  EXPECT_EQ(str(a2, "check_status"), "pending");
  EXPECT_EQ(a2.at("branch"), json::value(nullptr));
  EXPECT_EQ(a2.at("touched_files"), json::value(json::array{}));

  auto list = expect_object(s.client.get("/v1/tasks/" + id + "/artifacts?project_id=" + h.project),
                            200, "list artifacts");
  EXPECT_EQ(ids_of(list.at("items")), (std::vector<std::string>{str(a2, "id"), str(a1, "id")}));
  EXPECT_EQ(list.at("items").at(1), json::value(a1));
  // Artifacts never move the task.
  EXPECT_EQ(str(get_task(s.client, id), "state"), "ready");
}

TEST(LifecycleE2e, ArtifactRefusals) {
  running_server s;
  auto h = setup_h(s.client);
  auto other = setup_h(s.client, "Other");
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Artifacts"));
  auto post = [&](const std::string& task, json::object body) {
    return s.client.post("/v1/tasks/" + task + "/artifacts", body);
  };
  EXPECT_EQ(post(id, artifact_body(h.project, {{"check_status", "unknown"}})).status, 422);
  EXPECT_EQ(post(id, artifact_body(h.project, {{"agent_id", ""}})).status, 422);
  EXPECT_EQ(post(id, artifact_body(h.project, {{"touched_files", "a.cpp"}})).status, 422);
  EXPECT_TRUE(refused(post(id, artifact_body(unknown_uuid)), 404, "PROJECT_NOT_FOUND"));
  EXPECT_TRUE(refused(post(unknown_uuid, artifact_body(h.project)), 404, "TASK_NOT_FOUND"));
  EXPECT_TRUE(refused(post("not-a-task", artifact_body(h.project)), 404, "TASK_NOT_FOUND"));
  EXPECT_TRUE(refused(post(id, artifact_body(other.project)), 409, "PROJECT_MISMATCH"));

  auto list = [&](const std::string& task, const std::string& project) {
    return s.client.get("/v1/tasks/" + task + "/artifacts?project_id=" + project);
  };
  EXPECT_TRUE(refused(list(id, unknown_uuid), 404, "PROJECT_NOT_FOUND"));
  EXPECT_TRUE(refused(list(unknown_uuid, h.project), 404, "TASK_NOT_FOUND"));
  EXPECT_TRUE(refused(list(id, other.project), 409, "PROJECT_MISMATCH"));
  EXPECT_EQ(s.client.get("/v1/tasks/" + id + "/artifacts").status, 422);
  auto items = expect_object(list(id, h.project), 200, "list").at("items").as_array();
  EXPECT_TRUE(items.empty());
  // The refused ones consumed no number.
  auto a1 = expect_object(post(id, artifact_body(h.project)), 201, "artifact");
  EXPECT_TRUE(str(a1, "short_id").ends_with(".A1")) << str(a1, "short_id");
}

// ---- integration attempts (spec §12.2; scenario 41) ---------------------------------------------

TEST(LifecycleE2e, IntegrationAttemptLifecycle) {
  running_server s;
  auto h = setup_h(s.client);
  auto task = create_task(s.client, h.project, h.milestone, "Integrate");
  auto id = id_of(task);
  auto enqueue = [&](const char* base, const char* head) {
    auto r = s.client.post("/v1/tasks/" + id + "/integration-attempts",
                           json::object{{"project_id", h.project},
                                        {"base_sha", base},
                                        {"head_sha", head},
                                        {"diagnostics", {{"queued_by", "agent-1"}}}});
    return expect_object(r, 201, "enqueue");
  };
  auto record = [&](const json::object& attempt, const char* result, json::object diagnostics) {
    return s.client.post(
      "/v1/integration-attempts/" + id_of(attempt) + "/result",
      json::object{{"project_id", h.project}, {"result", result}, {"diagnostics", diagnostics}});
  };

  auto i1 = enqueue("base1", "head1");
  EXPECT_EQ(i1.size(), 10u) << json::serialize(i1);
  EXPECT_EQ(str(i1, "short_id"), str(task, "short_id") + ".I1");
  EXPECT_EQ(str(i1, "project_id"), h.project);
  EXPECT_EQ(str(i1, "task_id"), id);
  EXPECT_EQ(str(i1, "base_sha"), "base1");
  EXPECT_EQ(str(i1, "head_sha"), "head1");
  EXPECT_EQ(str(i1, "result"), "queued");
  EXPECT_EQ(i1.at("diagnostics"), (json::value{{"queued_by", "agent-1"}}));
  EXPECT_FALSE(str(i1, "started_at").empty());
  EXPECT_EQ(i1.at("ended_at"), json::value(nullptr));

  auto done = expect_object(record(i1, "success", {{"merge_commit", "abc"}}), 200, "result");
  EXPECT_EQ(str(done, "id"), str(i1, "id"));
  EXPECT_EQ(str(done, "result"), "success");
  EXPECT_EQ(done.at("diagnostics"), (json::value{{"merge_commit", "abc"}}));  // replaced
  EXPECT_GE(iso_micros(done.at("ended_at")), iso_micros(done.at("started_at")));
  EXPECT_EQ(done.at("started_at"), i1.at("started_at"));

  auto i2 = enqueue("base2", "head2");
  EXPECT_EQ(str(i2, "short_id"), str(task, "short_id") + ".I2");
  EXPECT_EQ(record(i2, "conflict", {}).status, 200);
  auto i3 = enqueue("base3", "head3");
  EXPECT_EQ(record(i3, "failed_checks", {}).status, 200);

  auto list =
    expect_object(s.client.get("/v1/tasks/" + id + "/integration-attempts?project_id=" + h.project),
                  200, "list attempts");
  auto& items = list.at("items").as_array();
  EXPECT_EQ(ids_of(items), (std::vector<std::string>{id_of(i3), id_of(i2), id_of(i1)}));
  std::vector<std::string> results;
  for (auto& item : items)
    results.emplace_back(item.at("result").as_string());
  EXPECT_EQ(results, (std::vector<std::string>{"failed_checks", "conflict", "success"}));
  // Last write wins; attempts never move the task.
  auto again = expect_object(record(i1, "conflict", {}), 200, "result again");
  EXPECT_EQ(str(again, "result"), "conflict");
  EXPECT_EQ(again.at("diagnostics"), json::value(json::object{}));
  EXPECT_EQ(str(get_task(s.client, id), "state"), "ready");
}

TEST(LifecycleE2e, IntegrationAttemptRefusals) {
  running_server s;
  auto h = setup_h(s.client);
  auto other = setup_h(s.client, "Other");
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Integrate"));
  auto enqueue = [&](const std::string& task, const std::string& project) {
    return s.client.post("/v1/tasks/" + task + "/integration-attempts",
                         json::object{{"project_id", project}});
  };
  EXPECT_TRUE(refused(enqueue(id, unknown_uuid), 404, "PROJECT_NOT_FOUND"));
  EXPECT_TRUE(refused(enqueue(unknown_uuid, h.project), 404, "TASK_NOT_FOUND"));
  EXPECT_TRUE(refused(enqueue(id, other.project), 409, "PROJECT_MISMATCH"));
  EXPECT_EQ(s.client
              .post("/v1/tasks/" + id + "/integration-attempts",
                    json::object{{"project_id", h.project}, {"diagnostics", "text"}})
              .status,
            422);
  auto attempt = expect_object(enqueue(id, h.project), 201, "enqueue");
  EXPECT_EQ(attempt.at("base_sha"), json::value(nullptr));
  EXPECT_EQ(attempt.at("diagnostics"), json::value(json::object{}));

  auto record = [&](const std::string& attempt_id, const std::string& project, const char* result) {
    return s.client.post("/v1/integration-attempts/" + attempt_id + "/result",
                         json::object{{"project_id", project}, {"result", result}});
  };
  EXPECT_EQ(record(id_of(attempt), h.project, "queued").status, 422);
  EXPECT_EQ(record(id_of(attempt), h.project, "merged").status, 422);
  EXPECT_TRUE(
    refused(record(unknown_uuid, h.project, "success"), 404, "INTEGRATION_ATTEMPT_NOT_FOUND"));
  EXPECT_TRUE(
    refused(record("not-an-attempt", h.project, "success"), 404, "INTEGRATION_ATTEMPT_NOT_FOUND"));
  EXPECT_TRUE(refused(record(id_of(attempt), other.project, "success"), 409, "PROJECT_MISMATCH"));
  EXPECT_TRUE(refused(record(id_of(attempt), unknown_uuid, "success"), 404, "PROJECT_NOT_FOUND"));

  auto list = [&](const std::string& task, const std::string& project) {
    return s.client.get("/v1/tasks/" + task + "/integration-attempts?project_id=" + project);
  };
  EXPECT_TRUE(refused(list(id, unknown_uuid), 404, "PROJECT_NOT_FOUND"));
  EXPECT_TRUE(refused(list(unknown_uuid, h.project), 404, "TASK_NOT_FOUND"));
  EXPECT_TRUE(refused(list(id, other.project), 409, "PROJECT_MISMATCH"));
  auto items = expect_object(list(id, h.project), 200, "list").at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items.at(0).at("result"), json::value("queued")) << "a refused result was recorded";
}

// ---- context, execution snapshots, timelines ----------------------------------------------------

TEST(LifecycleE2e, ContextWalksAncestorsAndDependents) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = create_task(s.client, h.project, h.milestone, "A");
  auto b = create_task(s.client, h.project, h.milestone, "B");
  auto c = create_task(s.client, h.project, h.milestone, "C");
  create_edge(s.client, h.project, id_of(a), id_of(b));
  create_edge(s.client, h.project, id_of(b), id_of(c), "integrated");
  auto context = [&](const json::object& t, const std::string& query = "") {
    return expect_object(
      s.client.get("/v1/tasks/" + id_of(t) + "/context?project_id=" + h.project + query), 200,
      "context");
  };
  auto walk = [](const json::value& items) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (auto& item : items.as_array())
      out.emplace_back(std::string(item.at("id").as_string()), num(item.at("depth")));
    return out;
  };
  using path = std::vector<std::pair<std::string, int64_t>>;

  // Defaults: ancestor_depth 2, dependent_depth 1.
  auto of_c = context(c);
  EXPECT_EQ(of_c.at("task"), json::value(c));
  EXPECT_EQ(walk(of_c.at("ancestors")), (path{{id_of(b), 1}, {id_of(a), 2}}));
  EXPECT_TRUE(of_c.at("dependents").as_array().empty());
  auto& first = of_c.at("ancestors").at(0).as_object();
  EXPECT_EQ(str(first, "title"), "B");
  EXPECT_EQ(str(first, "state"), "ready");
  EXPECT_EQ(str(first, "short_id"), str(b, "short_id"));

  EXPECT_EQ(walk(context(a).at("dependents")), (path{{id_of(b), 1}}));
  EXPECT_EQ(walk(context(a, "&dependent_depth=2").at("dependents")),
            (path{{id_of(b), 1}, {id_of(c), 2}}));
  auto of_b = context(b);
  EXPECT_EQ(walk(of_b.at("ancestors")), (path{{id_of(a), 1}}));
  EXPECT_EQ(walk(of_b.at("dependents")), (path{{id_of(c), 1}}));
  EXPECT_TRUE(context(c, "&ancestor_depth=1").at("ancestors").as_array().size() == 1);
  EXPECT_TRUE(context(c, "&ancestor_depth=0").at("ancestors").as_array().empty());

  auto other = setup_h(s.client, "Other");
  auto r = s.client.get("/v1/tasks/" + id_of(c) + "/context?project_id=" + other.project);
  EXPECT_TRUE(refused(r, 404, "TASK_NOT_FOUND"));
  EXPECT_TRUE(refused(
    s.client.get("/v1/tasks/" + std::string(unknown_uuid) + "/context?project_id=" + h.project),
    404, "TASK_NOT_FOUND"));
  EXPECT_EQ(
    s.client.get("/v1/tasks/" + id_of(c) + "/context?project_id=" + h.project + "&ancestor_depth=x")
      .status,
    422);
  // Integers are range-checked, never narrowed: a negative depth or one past an int is a 422
  // naming the parameter; the largest int is accepted.
  for (std::string bad : {"ancestor_depth=-1", "ancestor_depth=2147483648",
                          "dependent_depth=-5", "dependent_depth=4294967296",
                          "ancestor_depth=9223372036854775808"}) {
    auto refused_depth =
      s.client.get("/v1/tasks/" + id_of(c) + "/context?project_id=" + h.project + "&" + bad);
    EXPECT_EQ(refused_depth.status, 422) << bad << ": " << refused_depth.body;
    auto name = bad.substr(0, bad.find('='));
    EXPECT_NE(refused_depth.body.find(name), std::string::npos) << refused_depth.body;
  }
  EXPECT_EQ(walk(context(c, "&ancestor_depth=2147483647").at("ancestors")),
            (path{{id_of(b), 1}, {id_of(a), 2}}));
}

TEST(LifecycleE2e, ExecutionSnapshotsListEveryClaim) {
  running_server s;
  auto h = setup_h(s.client);
  auto task = create_task(s.client, h.project, h.milestone, "Snapshots");
  auto id = id_of(task);
  auto list = [&] {
    return expect_object(
             s.client.get("/v1/tasks/" + id + "/execution-snapshots?project_id=" + h.project), 200,
             "snapshots")
      .at("items")
      .as_array();
  };
  EXPECT_TRUE(list().empty());
  auto first = claim(s.client, h.project, id, "agent-a", ttl(long_ttl));
  transition(s.client, h.project, id, "blocked", "agent-a");
  transition(s.client, h.project, id, "ready", "planner");
  auto second = claim(s.client, h.project, id, "agent-b", ttl(long_ttl));
  auto items = list();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items.at(0), first.at("execution_snapshot"));
  EXPECT_EQ(items.at(1), second.at("execution_snapshot"));
  EXPECT_EQ(items.at(0).at("work_spec_hash"), items.at(1).at("work_spec_hash"));
  EXPECT_EQ(items.at(1).at("captured_by"), json::value("agent-b"));

  auto other = setup_h(s.client, "Other");
  EXPECT_TRUE(
    refused(s.client.get("/v1/tasks/" + id + "/execution-snapshots?project_id=" + other.project),
            409, "PROJECT_MISMATCH"));
  EXPECT_TRUE(refused(s.client.get("/v1/tasks/" + std::string(unknown_uuid) +
                                   "/execution-snapshots?project_id=" + h.project),
                      404, "TASK_NOT_FOUND"));
}

TEST(LifecycleE2e, TimelineShowsTheTasksEventsInOrder) {
  running_server s;
  auto h = setup_h(s.client);
  auto id = id_of(create_task(s.client, h.project, h.milestone, "Timeline"));
  auto token = lease_token(claim(s.client, h.project, id, "agent-a", ttl(long_ttl)));
  ASSERT_EQ(post_heartbeat(s.client, h.project, id, "agent-a", token).status, 200);
  transition(s.client, h.project, id, "in_progress", "agent-a", {{"lease_token", token}});
  ASSERT_EQ(s.client
              .post("/v1/tasks/" + id + "/artifacts",
                    artifact_body(h.project, {{"agent_id", "agent-a"}, {"lease_token", token}}))
              .status,
            201);
  transition(s.client, h.project, id, "implemented", "agent-a", {{"lease_token", token}});

  auto events = task_timeline(s.client, h.project, id);
  EXPECT_EQ(event_types(events),
            (std::vector<std::string>{"task_created", "task_claimed", "lease_renewed",
                                      "task_state_transitioned", "artifact_recorded",
                                      "task_state_transitioned"}));
  int64_t last = 0;
  for (auto& e : events) {
    EXPECT_GT(num(e.at("seq")), last);
    last = num(e.at("seq"));
    EXPECT_FALSE(e.at("hash").as_string().empty());
  }
  auto& claimed = events.at(1).at("payload").as_object();
  EXPECT_EQ(str(claimed, "agent_id"), "agent-a");
  EXPECT_EQ(str(claimed, "token"), token);
  EXPECT_EQ(num(claimed.at("fencing_counter")), 1);
  EXPECT_EQ(events.at(3).at("payload").at("to_state"), json::value("in_progress"));
  EXPECT_EQ(events.at(3).at("payload").at("lease_released"), json::value(false));
  EXPECT_EQ(events.at(5).at("payload").at("to_state"), json::value("implemented"));
  EXPECT_EQ(events.at(5).at("payload").at("lease_released"), json::value(true));

  auto other = setup_h(s.client, "Other");
  EXPECT_TRUE(refused(s.client.get("/v1/tasks/" + id + "/events?project_id=" + other.project), 409,
                      "PROJECT_MISMATCH"));
  EXPECT_TRUE(refused(
    s.client.get("/v1/tasks/" + std::string(unknown_uuid) + "/events?project_id=" + h.project), 404,
    "TASK_NOT_FOUND"));
  EXPECT_TRUE(refused(s.client.get("/v1/tasks/" + id + "/events?project_id=" + unknown_uuid), 404,
                      "PROJECT_NOT_FOUND"));
}

TEST(LifecycleE2e, ImplementedPrerequisiteUnlocksItsDependents) {
  running_server s;
  auto h = setup_h(s.client);
  auto a = id_of(create_task(s.client, h.project, h.milestone, "A"));
  auto b = id_of(create_task(s.client, h.project, h.milestone, "B"));
  auto c = id_of(create_task(s.client, h.project, h.milestone, "C"));
  create_edge(s.client, h.project, a, b, "implemented");
  create_edge(s.client, h.project, a, c, "integrated");
  auto token = lease_token(claim(s.client, h.project, a, "agent-a", ttl(long_ttl)));
  transition(s.client, h.project, a, "in_progress", "agent-a", {{"lease_token", token}});
  transition(s.client, h.project, a, "implemented", "agent-a", {{"lease_token", token}});

  auto unlocked = [&](const std::string& task) {
    for (auto& e : task_timeline(s.client, h.project, task))
      if (e.at("type") == json::value("tasks_unlocked"))
        return e.at("payload").as_object();
    return json::object{};
  };
  // The unlock is recorded right after the prerequisite's transition; wait for it (bounded).
  ASSERT_TRUE(eventually([&] { return !unlocked(b).empty(); }))
    << json::serialize(task_timeline(s.client, h.project, b));
  auto p = unlocked(b);
  EXPECT_EQ(str(p, "by_task_id"), a);
  EXPECT_EQ(str(p, "state"), "implemented");
  EXPECT_EQ(p.at("unlocked_task_ids"), (json::value(json::array{b})));
  EXPECT_TRUE(unlocked(c).empty()) << "C waits for A to be integrated";
  EXPECT_EQ(post_claim(s.client, h.project, b, "agent-b", ttl(long_ttl)).status, 200);
  EXPECT_TRUE(refused(post_claim(s.client, h.project, c, "agent-b"), 409, "DEPENDENCIES_UNMET"));

  transition(s.client, h.project, a, "integrated", "lead", reviewed());
  ASSERT_TRUE(eventually([&] { return !unlocked(c).empty(); }));
  EXPECT_EQ(unlocked(c).at("unlocked_task_ids"), (json::value(json::array{c})));
  EXPECT_EQ(post_claim(s.client, h.project, c, "agent-b", ttl(long_ttl)).status, 200);
}

}  // namespace
}  // namespace tascade::test

// End-to-end: API keys and authentication over real HTTP (issue 5; spec §3.1, §4, §5.9;
// COMPATIBILITY.md rows 25-34): creating, listing and revoking keys, the 401 answers, identity
// taken from the key, self-review across two keys of one name, global keys, keys surviving a
// crash and a replay, `tascade keys create`, and the admin key of the first start.
//
// Every server here requires keys, whatever TASCADE_TEST_AUTH says.

#include "events/sha256.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

// Long enough that no lease of this file expires while its test runs.
constexpr double long_ttl = 600;

// A server with keys on its own data directory, and a client holding the first start's
// global admin key.
struct keyed_server {
  explicit keyed_server(std::vector<std::string> extra_args = {})
      : server(data.str(), std::move(extra_args), auth_setting::required),
        admin(server.client()) {}

  temp_dir data;
  server_process server;
  http_client admin;
};

// A key as POST /v1/api-keys answered it.
struct issued_key {
  std::string id, raw, name;
};

http_response post_key(http_client& c, const std::string& project, const std::string& name,
                       json::array roles, const std::string& created_by = "admin") {
  return c.post("/v1/api-keys", json::object{{"project_id", project},
                                             {"name", name},
                                             {"role_scopes", std::move(roles)},
                                             {"created_by", created_by}});
}

issued_key make_key(http_client& admin, const std::string& project, const std::string& name,
                    json::array roles) {
  auto created = expect_object(post_key(admin, project, name, std::move(roles)), 201,
                               "create key " + name);
  return {id_of(created), str(created, "raw_key"), name};
}

http_response post_revoke(http_client& c, const std::string& key, const std::string& project) {
  return c.post("/v1/api-keys/" + key + "/revoke?project_id=" + project, json::object{});
}

// A client sending `raw` as its Bearer key.
http_client as(const server_process& s, const std::string& raw) {
  http_client c(s.port());
  c.default_headers({{"Authorization", "Bearer " + raw}});
  return c;
}

bool is_raw_key(const std::string& s) {
  return s.size() == 4 + 64 && s.rfind("tsk_", 0) == 0 &&
         std::all_of(s.begin() + 4, s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

// The listed keys of `project` (GET /v1/api-keys) with `c`'s key.
json::array list_keys(http_client& c, const std::string& project) {
  return expect_object(c.get("/v1/api-keys?project_id=" + project), 200, "list keys")
    .at("items")
    .as_array();
}

const json::object* listed(const json::array& items, const std::string& id) {
  for (auto& item : items)
    if (str(item.as_object(), "id") == id)
      return &item.as_object();
  return nullptr;
}

// A 401 in the error envelope, with the challenge header.
void expect_unauthorised(const http_response& r, const std::string& code,
                         const std::string& what) {
  EXPECT_EQ(r.status, 401) << what << ": " << r.body;
  EXPECT_EQ(error_code(r), code) << what << ": " << r.body;
  EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer") << what;
  auto v = r.json();
  ASSERT_TRUE(v.is_object() && v.get_object().contains("error")) << what << ": " << r.body;
  auto& e = v.at("error").as_object();
  EXPECT_TRUE(e.contains("message") && e.at("message").is_string()) << what << ": " << r.body;
  EXPECT_EQ(e.contains("retryable") ? e.at("retryable") : json::value(nullptr), json::value(false))
    << what << ": " << r.body;
}

// ---- creating keys ------------------------------------------------------------------------------

TEST(ApiKeysE2e, CreatedKeyIsShownOnceAndOnlyItsHashIsKept) {
  keyed_server s;
  auto project = create_project(s.admin, "Keys");
  auto r = post_key(s.admin, project, "worker-1", json::array{"agent", "reviewer"});
  auto created = expect_object(r, 201, "create key");
  EXPECT_EQ(created.size(), 6u) << r.body;
  EXPECT_EQ(id_of(created).size(), 36u) << r.body;
  EXPECT_EQ(str(created, "project_id"), project);
  EXPECT_EQ(str(created, "name"), "worker-1");
  EXPECT_EQ(created.at("role_scopes"), (json::array{"agent", "reviewer"}));
  EXPECT_FALSE(str(created, "created_at").empty()) << r.body;
  auto raw = str(created, "raw_key");
  ASSERT_TRUE(is_raw_key(raw)) << raw;
  auto hash = sha256_hex(raw);
  EXPECT_EQ(r.body.find(hash), std::string::npos) << "the hash is never returned";

  // The key works.
  auto worker = as(s.server, raw);
  EXPECT_EQ(worker.get("/v1/projects/" + project).status, 200);

  // Neither the raw key nor its hash is ever listed.
  auto list = s.admin.get("/v1/api-keys?project_id=" + project);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_NE(list.body.find(id_of(created)), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find(raw), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find(raw.substr(4)), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find(hash), std::string::npos) << list.body;
  auto every = s.admin.get("/v1/api-keys?project_id=*");
  EXPECT_EQ(every.body.find(raw.substr(4)), std::string::npos) << every.body;

  // The event log holds the hash (that is how the key is found again), never the raw key.
  auto dump = run_program(TASCADE_TOOL_PATH, {"replay", "dump", "--data", s.data.str()});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_NE(dump.out.find("key_created"), std::string::npos) << dump.out;
  EXPECT_NE(dump.out.find(hash), std::string::npos) << dump.out;
  EXPECT_EQ(dump.out.find(raw.substr(4)), std::string::npos) << dump.out;
  EXPECT_EQ(dump.err.find(raw.substr(4)), std::string::npos) << dump.err;
  // Nor does the server's own output.
  EXPECT_EQ(s.server.output().find(raw.substr(4)), std::string::npos);
}

TEST(ApiKeysE2e, UnknownRolesAreRefused) {
  keyed_server s;
  auto project = create_project(s.admin, "Keys");
  auto r = post_key(s.admin, project, "wizard", json::array{"agent", "wizard"});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_code(r), "INVALID_ROLES") << r.body;
  auto upper = post_key(s.admin, project, "shouty", json::array{"ADMIN"});
  EXPECT_EQ(error_code(upper), "INVALID_ROLES") << upper.body;
  // The role check comes first (spec §5.9): a planner learns nothing about role names.
  auto planner = as(s.server, make_key(s.admin, project, "planner", json::array{"planner"}).raw);
  auto by_planner = post_key(planner, project, "wizard", json::array{"wizard"}, "planner");
  EXPECT_EQ(by_planner.status, 403) << by_planner.body;
  EXPECT_EQ(error_code(by_planner), "INSUFFICIENT_ROLE") << by_planner.body;
  // Malformed requests are 422.
  auto unnamed = post_key(s.admin, project, "", json::array{"agent"});
  EXPECT_EQ(unnamed.status, 422) << unnamed.body;
  auto no_roles = s.admin.post("/v1/api-keys", json::object{{"project_id", project},
                                                            {"name", "x"},
                                                            {"created_by", "admin"}});
  EXPECT_EQ(no_roles.status, 422) << no_roles.body;
  // Nothing was issued but the planner's key.
  EXPECT_EQ(list_keys(s.admin, project).size(), 1u);
  // An empty role list is allowed: such a key can only read.
  auto reader = make_key(s.admin, project, "reader", json::array{});
  auto c = as(s.server, reader.raw);
  EXPECT_EQ(c.get("/v1/projects/" + project).status, 200);
  auto write = c.post("/v1/projects/" + project + "/phases",
                      json::object{{"name", "P"}, {"sequence", 0}});
  EXPECT_EQ(error_code(write), "INSUFFICIENT_ROLE") << write.body;
}

TEST(ApiKeysE2e, KeysForAnUnknownProjectAreRefused) {
  keyed_server s;
  for (auto project : {unknown_uuid, "not-a-uuid"}) {
    auto r = post_key(s.admin, project, "ghost", json::array{"agent"});
    EXPECT_EQ(r.status, 404) << project << ": " << r.body;
    EXPECT_EQ(error_code(r), "PROJECT_NOT_FOUND") << project << ": " << r.body;
  }
  EXPECT_EQ(list_keys(s.admin, "*").size(), 1u) << "only the first start's admin key";
}

TEST(ApiKeysE2e, OnlyAGlobalAdminIssuesGlobalKeys) {
  keyed_server s;
  auto a = create_project(s.admin, "A");
  auto b = create_project(s.admin, "B");
  auto project_admin = make_key(s.admin, a, "project-admin", json::array{"admin"});
  auto pa = as(s.server, project_admin.raw);

  auto global = post_key(pa, "*", "sneaky", json::array{"admin"}, "project-admin");
  EXPECT_EQ(global.status, 403) << global.body;
  EXPECT_EQ(error_code(global), "PROJECT_SCOPE_VIOLATION") << global.body;
  auto other = post_key(pa, b, "sneaky", json::array{"agent"}, "project-admin");
  EXPECT_EQ(error_code(other), "PROJECT_SCOPE_VIOLATION") << other.body;
  // Its own project is fine.
  auto own = post_key(pa, a, "helper", json::array{"agent"}, "project-admin");
  EXPECT_EQ(own.status, 201) << own.body;

  auto by_global = post_key(s.admin, "*", "ops", json::array{"operator"});
  auto created = expect_object(by_global, 201, "global key");
  EXPECT_EQ(str(created, "project_id"), "*");
  // A global operator reaches both projects.
  auto ops = as(s.server, str(created, "raw_key"));
  EXPECT_EQ(ops.get("/v1/projects/" + a).status, 200);
  EXPECT_EQ(ops.get("/v1/projects/" + b).status, 200);
  EXPECT_EQ(ops.get("/v1/admin/digest").status, 200);
}

// ---- listing keys -------------------------------------------------------------------------------

// Issue 16: `last_used_at` is kept beside the log (at most one write a minute per key), so a
// restart, even a crash, does not forget it.
TEST(ApiKeysE2e, LastUseSurvivesACrashAndRestart) {
  temp_dir data;
  std::string admin_key, project, used_id, unused_id, used_before;
  {
    server_process server(data.str(), {}, auth_setting::required);
    admin_key = server.admin_key();
    auto admin = server.client();
    project = create_project(admin, "Usage");
    auto used = make_key(admin, project, "used", json::array{"agent"});
    unused_id = make_key(admin, project, "unused", json::array{"agent"}).id;
    used_id = used.id;
    auto agent = as(server, used.raw);
    EXPECT_EQ(agent.get("/v1/projects/" + project).status, 200);
    auto listed_before = list_keys(admin, project);
    auto before = listed(listed_before, used_id);
    ASSERT_NE(before, nullptr);
    used_before = str(*before, "last_used_at");
    ASSERT_FALSE(used_before.empty());
    server.kill_hard();
  }
  server_process server(data.str(), {}, auth_setting::required);
  auto admin = as(server, admin_key);
  auto items = list_keys(admin, project);
  auto used = listed(items, used_id);
  auto unused = listed(items, unused_id);
  ASSERT_NE(used, nullptr);
  ASSERT_NE(unused, nullptr);
  EXPECT_EQ(str(*used, "last_used_at"), used_before) << json::serialize(*used);
  EXPECT_TRUE(unused->at("last_used_at").is_null()) << json::serialize(*unused);
}

TEST(ApiKeysE2e, ListIsNewestFirstWithStatusesAndLastUse) {
  keyed_server s;
  auto project = create_project(s.admin, "Keys");
  auto other = create_project(s.admin, "Other");
  auto first = make_key(s.admin, project, "first", json::array{"agent"});
  auto second = make_key(s.admin, project, "second", json::array{"planner"});
  auto third = make_key(s.admin, project, "third", json::array{"operator"});
  make_key(s.admin, other, "elsewhere", json::array{"agent"});
  expect_object(post_revoke(s.admin, second.id, project), 200, "revoke second");

  auto operator_client = as(s.server, third.raw);  // this use sets third's last_used_at
  auto items = list_keys(operator_client, project);
  ASSERT_EQ(items.size(), 3u) << json::serialize(items);
  EXPECT_EQ(str(items[0].as_object(), "id"), third.id);
  EXPECT_EQ(str(items[1].as_object(), "id"), second.id);
  EXPECT_EQ(str(items[2].as_object(), "id"), first.id);
  for (auto& item : items) {
    auto& k = item.as_object();
    EXPECT_EQ(str(k, "project_id"), project);
    EXPECT_EQ(str(k, "created_by"), "admin");
    EXPECT_FALSE(k.contains("raw_key")) << json::serialize(k);
    EXPECT_FALSE(k.contains("hash")) << json::serialize(k);
    for (auto field : {"name", "role_scopes", "status", "created_at", "last_used_at",
                       "revoked_at"})
      EXPECT_TRUE(k.contains(field)) << field << " in " << json::serialize(k);
  }
  auto& k3 = items[0].as_object();
  auto& k2 = items[1].as_object();
  auto& k1 = items[2].as_object();
  EXPECT_EQ(str(k3, "status"), "active");
  EXPECT_EQ(str(k2, "status"), "revoked");
  EXPECT_EQ(str(k1, "status"), "active");
  EXPECT_FALSE(str(k2, "revoked_at").empty()) << json::serialize(k2);
  EXPECT_TRUE(k1.at("revoked_at").is_null());
  EXPECT_EQ(k2.at("role_scopes"), json::array{"planner"});
  // Used keys show when; unused ones null.
  EXPECT_TRUE(k1.at("last_used_at").is_null()) << json::serialize(k1);
  ASSERT_TRUE(k3.at("last_used_at").is_string()) << json::serialize(k3);
  EXPECT_GE(str(k3, "last_used_at"), str(k3, "created_at"));

  // Authentication alone counts as use, even when the request is then refused (spec §4.2).
  auto agent = as(s.server, first.raw);
  EXPECT_EQ(agent.post("/v1/projects", json::object{{"name", "No"}}).status, 403);
  auto listed_after = list_keys(s.admin, project);
  auto after = listed(listed_after, first.id);
  ASSERT_NE(after, nullptr);
  EXPECT_TRUE(after->at("last_used_at").is_string()) << json::serialize(*after);

  // The global list has every key, the first start's admin key included; a project that
  // does not exist has none.
  auto all = list_keys(s.admin, "*");
  EXPECT_EQ(all.size(), 5u);
  EXPECT_NE(listed(all, first.id), nullptr);
  EXPECT_TRUE(list_keys(s.admin, unknown_uuid).empty());

  // An agent may not list keys; a project operator may not list another project's or all.
  auto refused = agent.get("/v1/api-keys?project_id=" + project);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(error_code(refused), "INSUFFICIENT_ROLE") << refused.body;
  for (const auto& target : {other, std::string("*")}) {
    auto r = operator_client.get("/v1/api-keys?project_id=" + target);
    EXPECT_EQ(r.status, 403) << target << ": " << r.body;
    EXPECT_EQ(error_code(r), "PROJECT_SCOPE_VIOLATION") << target << ": " << r.body;
  }
}

// ---- revoking keys ------------------------------------------------------------------------------

TEST(ApiKeysE2e, RevokedKeysAreRefusedFromTheNextRequestOn) {
  keyed_server s;
  auto a = create_project(s.admin, "A");
  auto b = create_project(s.admin, "B");
  auto victim = make_key(s.admin, a, "victim", json::array{"planner"});
  auto victim_client = as(s.server, victim.raw);
  EXPECT_EQ(victim_client.get("/v1/projects/" + a).status, 200);

  auto r = post_revoke(s.admin, victim.id, a);
  auto revoked = expect_object(r, 200, "revoke");
  EXPECT_EQ(revoked.size(), 3u) << r.body;
  EXPECT_EQ(id_of(revoked), victim.id);
  EXPECT_EQ(str(revoked, "status"), "revoked");
  EXPECT_FALSE(str(revoked, "revoked_at").empty()) << r.body;
  expect_unauthorised(victim_client.get("/v1/projects/" + a), "AUTH_INVALID", "revoked key");

  auto again = post_revoke(s.admin, victim.id, a);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(error_code(again), "ALREADY_REVOKED") << again.body;
  auto unknown = post_revoke(s.admin, unknown_uuid, a);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(error_code(unknown), "API_KEY_NOT_FOUND") << unknown.body;

  // A project admin names its own project but another project's key: 403 PROJECT_MISMATCH,
  // and the key keeps working.
  auto project_admin = make_key(s.admin, a, "admin-a", json::array{"admin"});
  auto b_key = make_key(s.admin, b, "b-worker", json::array{"agent"});
  auto pa = as(s.server, project_admin.raw);
  auto mismatch = post_revoke(pa, b_key.id, a);
  EXPECT_EQ(mismatch.status, 403) << mismatch.body;
  EXPECT_EQ(error_code(mismatch), "PROJECT_MISMATCH") << mismatch.body;
  auto scope = post_revoke(pa, b_key.id, b);
  EXPECT_EQ(scope.status, 403) << scope.body;
  EXPECT_EQ(error_code(scope), "PROJECT_SCOPE_VIOLATION") << scope.body;
  EXPECT_EQ(as(s.server, b_key.raw).get("/v1/projects/" + b).status, 200);
  // Revoking takes the admin role.
  auto planner = make_key(s.admin, a, "planner-a", json::array{"planner", "operator"});
  auto planner_client = as(s.server, planner.raw);
  auto by_planner = post_revoke(planner_client, project_admin.id, a);
  EXPECT_EQ(error_code(by_planner), "INSUFFICIENT_ROLE") << by_planner.body;

  // A key may revoke itself; its next request is refused.
  auto self = post_revoke(pa, project_admin.id, a);
  EXPECT_EQ(self.status, 200) << self.body;
  expect_unauthorised(pa.get("/v1/projects/" + a), "AUTH_INVALID", "self-revoked key");
}

// ---- authentication -----------------------------------------------------------------------------

TEST(ApiKeysE2e, MissingMalformedAndUnknownKeysAre401) {
  keyed_server s({"--log-level", "debug"});
  auto project = create_project(s.admin, "A");
  http_client c(s.server.port());
  const std::string basic_secret = "c2VjcmV0LXVzZXI6aHVudGVyMg";
  const std::string unknown_key = "tsk_" + sha256_hex("no such key");
  auto revoked = make_key(s.admin, project, "gone", json::array{"agent"});
  expect_object(post_revoke(s.admin, revoked.id, project), 200, "revoke");

  auto target = "/v1/projects/" + project;
  expect_unauthorised(c.get(target), "AUTH_MISSING", "no header");
  expect_unauthorised(c.get(target, {{"Authorization", "Basic " + basic_secret}}), "AUTH_MISSING",
                      "Basic scheme");
  expect_unauthorised(c.get(target, {{"Authorization", "Bearer "}}), "AUTH_MISSING",
                      "empty Bearer");
  expect_unauthorised(c.get(target, {{"Authorization", "Bearer"}}), "AUTH_MISSING",
                      "Bearer alone");
  expect_unauthorised(c.get(target, {{"Authorization", unknown_key}}), "AUTH_MISSING",
                      "key without a scheme");
  expect_unauthorised(c.get(target, {{"Authorization", "Bearer " + unknown_key}}), "AUTH_INVALID",
                      "unknown key");
  expect_unauthorised(c.get(target, {{"Authorization", "Bearer " + revoked.raw}}), "AUTH_INVALID",
                      "revoked key");
  expect_unauthorised(c.post("/v1/projects", json::object{{"name", "x"}},
                             {{"Authorization", "Bearer " + unknown_key}}),
                      "AUTH_INVALID", "unknown key on a write");
  // The scheme is case-insensitive.
  auto lower = c.get(target, {{"Authorization", "bearer " + s.server.admin_key()}});
  EXPECT_EQ(lower.status, 200) << lower.body;
  // /health needs no key.
  EXPECT_EQ(c.get("/health").status, 200);

  // Failures are logged, never with the key that was sent. (The server's output reaches us
  // through a pipe read on another thread: wait for the line.)
  EXPECT_TRUE(eventually(
    [&] { return s.server.output().find("authentication failed") != std::string::npos; }))
    << s.server.output();
  auto log = s.server.output();
  EXPECT_EQ(log.find(basic_secret), std::string::npos) << log;
  EXPECT_EQ(log.find(unknown_key.substr(4)), std::string::npos) << log;
  EXPECT_EQ(log.find(revoked.raw.substr(4)), std::string::npos) << log;
}

// Spec §3.1: a body that is not JSON is 422 before authentication; then 401, then 422
// validation, then 403.
TEST(ApiKeysE2e, RequestChecksComeInTheSpecsOrder) {
  keyed_server s;
  auto project = create_project(s.admin, "A");
  auto agent = as(s.server, make_key(s.admin, project, "agent-a", json::array{"agent"}).raw);
  http_client anonymous(s.server.port());

  auto not_json = anonymous.post("/v1/projects", std::string("{not json"));
  EXPECT_EQ(not_json.status, 422) << not_json.body;
  auto invalid_without_key = anonymous.post("/v1/projects", json::object{});
  EXPECT_EQ(invalid_without_key.status, 401) << invalid_without_key.body;
  auto invalid_without_role = agent.post("/v1/projects", json::object{});
  EXPECT_EQ(invalid_without_role.status, 422) << invalid_without_role.body;
  auto valid_without_role = agent.post("/v1/projects", json::object{{"name", "x"}});
  EXPECT_EQ(valid_without_role.status, 403) << valid_without_role.body;
}

// A stored response is replayed to the key that caused it only, and only while it works.
TEST(ApiKeysE2e, IdempotentReplaysBelongToTheirKey) {
  keyed_server s;
  auto h = setup_h(s.admin, "Replays");
  auto first = make_key(s.admin, h.project, "planner-1", json::array{"planner"});
  auto p1 = as(s.server, first.raw);
  auto p2 = as(s.server, make_key(s.admin, h.project, "planner-2", json::array{"planner"}).raw);
  auto agent = as(s.server, make_key(s.admin, h.project, "agent-1", json::array{"agent"}).raw);
  auto body = task_body(h.project, h.milestone, "Once");
  header_list once{{"Idempotency-Key", "create-once"}};

  auto created = p1.post("/v1/tasks", body, once);
  auto task = id_of(expect_object(created, 201, "create task"));
  auto replayed = p1.post("/v1/tasks", body, once);
  EXPECT_EQ(replayed.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(id_of(expect_object(replayed, 201, "replay")), task);

  auto by_other_key = p2.post("/v1/tasks", body, once);
  EXPECT_EQ(by_other_key.header("Idempotent-Replayed"), "") << by_other_key.body;
  EXPECT_NE(id_of(expect_object(by_other_key, 201, "another key")), task);
  auto without_role = agent.post("/v1/tasks", body, once);
  EXPECT_EQ(error_code(without_role), "INSUFFICIENT_ROLE") << without_role.body;

  expect_object(post_revoke(s.admin, first.id, h.project), 200, "revoke");
  expect_unauthorised(p1.post("/v1/tasks", body, once), "AUTH_INVALID", "replay after revoke");
}

// ---- identity -----------------------------------------------------------------------------------

TEST(ApiKeysE2e, AnAgentKeyCannotActAsAnotherAgent) {
  keyed_server s;
  auto h = setup_h(s.admin, "Identity");
  auto t1 = id_of(create_task(s.admin, h.project, h.milestone, "T1"));
  auto t2 = id_of(create_task(s.admin, h.project, h.milestone, "T2"));
  auto agent_a = as(s.server, make_key(s.admin, h.project, "agent-a", json::array{"agent"}).raw);
  auto planner = as(s.server, make_key(s.admin, h.project, "plans", json::array{"planner"}).raw);
  auto boss = as(s.server, make_key(s.admin, h.project, "boss", json::array{"admin"}).raw);

  auto impostor = post_claim(agent_a, h.project, t1, "agent-b", {{"ttl_seconds", long_ttl}});
  EXPECT_EQ(impostor.status, 403) << impostor.body;
  EXPECT_EQ(error_code(impostor), "IDENTITY_MISMATCH") << impostor.body;
  EXPECT_EQ(str(get_task(s.admin, t1), "state"), "ready");
  auto next = agent_a.post("/v1/tasks/claim-next",
                           json::object{{"project_id", h.project}, {"agent_id", "agent-b"}});
  EXPECT_EQ(error_code(next), "IDENTITY_MISMATCH") << next.body;
  auto ready = agent_a.get("/v1/tasks/ready?project_id=" + h.project + "&agent_id=agent-a");
  EXPECT_EQ(ready.status, 200) << ready.body;

  auto claimed = claim(agent_a, h.project, t1, "agent-a", {{"ttl_seconds", long_ttl}});
  auto token = lease_token(claimed);
  auto hb = post_heartbeat(agent_a, h.project, t1, "agent-b", token);
  EXPECT_EQ(error_code(hb), "IDENTITY_MISMATCH") << hb.body;
  auto move = post_transition(agent_a, h.project, t1, "in_progress", "agent-b");
  EXPECT_EQ(error_code(move), "IDENTITY_MISMATCH") << move.body;
  auto artifact = agent_a.post("/v1/tasks/" + t1 + "/artifacts",
                               json::object{{"project_id", h.project}, {"agent_id", "agent-b"}});
  EXPECT_EQ(error_code(artifact), "IDENTITY_MISMATCH") << artifact.body;
  auto moved = post_transition(agent_a, h.project, t1, "in_progress", "agent-a");
  EXPECT_EQ(moved.status, 200) << moved.body;
  // A planner reserves in its own name only.
  auto assign = post_assign(planner, h.project, t2, "agent-a");  // created_by "planner"
  EXPECT_EQ(error_code(assign), "IDENTITY_MISMATCH") << assign.body;
  auto assigned = post_assign(planner, h.project, t2, "agent-a", {{"created_by", "plans"}});
  EXPECT_EQ(assigned.status, 200) << assigned.body;
  auto unassign = planner.post("/v1/tasks/" + t2 + "/unassign",
                               json::object{{"project_id", h.project}});
  EXPECT_EQ(unassign.status, 200) << unassign.body;

  // An admin key may act for anyone.
  auto for_b = claim(boss, h.project, t2, "agent-b", {{"ttl_seconds", long_ttl}});
  EXPECT_EQ(str(for_b.at("lease").as_object(), "agent_id"), "agent-b") << json::serialize(for_b);
}

// Compatibility row 21: the implementer cannot approve its work under a second key of the
// same name, nor can another reviewer name the implementer as the reviewer.
TEST(ApiKeysE2e, TwoKeysOfOneNameCannotReviewTheirOwnWork) {
  keyed_server s;
  auto h = setup_h(s.admin, "Self review");
  auto t = id_of(create_task(s.admin, h.project, h.milestone, "Work"));
  auto alice_agent = as(s.server, make_key(s.admin, h.project, "alice", json::array{"agent"}).raw);
  auto alice_reviewer =
    as(s.server, make_key(s.admin, h.project, "alice", json::array{"reviewer"}).raw);
  auto bob = as(s.server, make_key(s.admin, h.project, "bob", json::array{"reviewer"}).raw);
  auto carol = as(s.server, make_key(s.admin, h.project, "carol", json::array{"planner"}).raw);

  claim(alice_agent, h.project, t, "alice", {{"ttl_seconds", long_ttl}});
  transition(alice_agent, h.project, t, "in_progress", "alice");
  transition(alice_agent, h.project, t, "implemented", "alice");
  json::object review{{"reviewed_by", "alice"},
                      {"review_evidence_refs", json::array{"review://thread/1"}}};

  auto own = post_transition(alice_reviewer, h.project, t, "integrated", "alice", review);
  EXPECT_EQ(own.status, 409) << own.body;
  EXPECT_EQ(error_code(own), "SELF_REVIEW_NOT_ALLOWED") << own.body;
  auto named = post_transition(bob, h.project, t, "integrated", "bob", review);
  EXPECT_EQ(error_code(named), "SELF_REVIEW_NOT_ALLOWED") << named.body;
  EXPECT_EQ(str(get_task(s.admin, t), "state"), "implemented");

  // Someone else's review passes.
  review["reviewed_by"] = "bob";
  auto done = post_transition(carol, h.project, t, "integrated", "carol", review);
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(str(get_task(s.admin, t), "state"), "integrated");
}

// ---- projects -----------------------------------------------------------------------------------

TEST(ApiKeysE2e, OnlyGlobalKeysCreateProjects) {
  keyed_server s;
  auto existing = create_project(s.admin, "Existing");
  auto project_admin = as(s.server, make_key(s.admin, existing, "pa", json::array{"admin"}).raw);
  auto global_planner = as(s.server, make_key(s.admin, "*", "gp", json::array{"planner"}).raw);
  auto global_agent = as(s.server, make_key(s.admin, "*", "ga", json::array{"agent"}).raw);

  auto by_admin = s.admin.post("/v1/projects", json::object{{"name", "By global admin"}});
  EXPECT_EQ(by_admin.status, 201) << by_admin.body;
  auto by_planner = global_planner.post("/v1/projects", json::object{{"name", "By planner"}});
  EXPECT_EQ(by_planner.status, 201) << by_planner.body;
  auto by_project_admin = project_admin.post("/v1/projects", json::object{{"name", "No"}});
  EXPECT_EQ(by_project_admin.status, 403) << by_project_admin.body;
  EXPECT_EQ(error_code(by_project_admin), "PROJECT_SCOPE_VIOLATION") << by_project_admin.body;
  auto by_agent = global_agent.post("/v1/projects", json::object{{"name", "No"}});
  EXPECT_EQ(by_agent.status, 403) << by_agent.body;
  EXPECT_EQ(error_code(by_agent), "INSUFFICIENT_ROLE") << by_agent.body;
  auto projects = s.admin.get("/v1/projects").json().at("items").as_array();
  EXPECT_EQ(projects.size(), 3u);
}

// ---- the reference's wording and the audit of refusals (issue 16) ------------------------------

std::string error_message_of(const http_response& r) {
  auto v = r.json();
  if (!v.is_object() || !v.get_object().contains("error"))
    return {};
  return std::string(v.at("error").at("message").as_string());
}

TEST(ApiKeysE2e, RefusalsUseTheReferenceWording) {
  keyed_server s;
  auto project = create_project(s.admin, "Words");
  auto other = create_project(s.admin, "Elsewhere");
  http_client anonymous(s.server.port());
  auto missing = anonymous.get("/v1/projects/" + project);
  EXPECT_EQ(error_message_of(missing), "Authorization header with Bearer token is required");
  auto invalid = anonymous.get("/v1/projects/" + project,
                               {{"Authorization", "Bearer tsk_" + sha256_hex("nothing")}});
  EXPECT_EQ(error_message_of(invalid), "Invalid or revoked API key");

  auto global_agent = as(s.server, make_key(s.admin, "*", "ga", json::array{"agent"}).raw);
  EXPECT_EQ(error_message_of(global_agent.post("/v1/projects", json::object{{"name", "No"}})),
            "Requires one of: ['admin', 'operator', 'planner']");
  auto reader = as(s.server, make_key(s.admin, project, "reader", json::array{}).raw);
  EXPECT_EQ(error_message_of(reader.post("/v1/projects/" + project + "/phases",
                                   json::object{{"name", "P"}, {"sequence", 0}})),
            "Requires one of: ['admin', 'planner']");
  auto project_admin = as(s.server, make_key(s.admin, project, "pa", json::array{"admin"}).raw);
  EXPECT_EQ(error_message_of(project_admin.post("/v1/projects", json::object{{"name", "No"}})),
            "Project-scoped keys cannot create new projects; use a wildcard or admin key");
  EXPECT_EQ(error_message_of(project_admin.get("/v1/projects/" + other)),
            "API key is not authorized for this project");

  EXPECT_EQ(error_message_of(post_key(s.admin, project, "wizard", json::array{"agent", "wizard"})),
            "Invalid role scopes: ['wizard']");
  auto gone = make_key(s.admin, project, "gone", json::array{"agent"});
  expect_object(post_revoke(s.admin, gone.id, project), 200, "revoke");
  EXPECT_EQ(error_message_of(post_revoke(s.admin, gone.id, project)), "API key is already revoked");
}

// The auth_denied events on a task's timeline.
std::vector<json::object> denials_of(http_client& admin, const std::string& project,
                                     const std::string& task) {
  std::vector<json::object> out;
  for (auto& item : task_timeline(admin, project, task))
    if (item.at("type").as_string() == "auth_denied")
      out.push_back(item.at("payload").as_object());
  return out;
}

TEST(ApiKeysE2e, RefusalsAreAuditedOncePerKeyEndpointAndMinute) {
  keyed_server s;
  auto h = setup_h(s.admin);
  auto task = str(create_task(s.admin, h.project, h.milestone, "Guarded"), "id");
  auto agent = as(s.server, make_key(s.admin, h.project, "agent-a", json::array{"agent"}).raw);
  auto other = create_project(s.admin, "Other");
  auto stranger =
    as(s.server, make_key(s.admin, other, "stranger", json::array{"planner"}).raw);

  // A flood of refusals by one key on one endpoint.
  const int flood = 20;
  for (int i = 0; i < flood; ++i)
    EXPECT_EQ(error_code(post_assign(agent, h.project, task, "agent-a")), "INSUFFICIENT_ROLE");
  EXPECT_EQ(error_code(post_assign(stranger, h.project, task, "agent-a")),
            "PROJECT_SCOPE_VIOLATION");

  // Written by the keyring actor after the answers: wait for both kinds.
  std::vector<json::object> denied;
  auto has = [&](std::string_view reason) {
    return std::any_of(denied.begin(), denied.end(),
                       [&](const json::object& p) { return p.at("reason").as_string() == reason; });
  };
  EXPECT_TRUE(eventually([&] {
    denied = denials_of(s.admin, h.project, task);
    return has("insufficient_role") && has("project_scope_violation");
  }));
  int64_t role_refusals = 0;
  size_t role_events = 0;
  for (auto& p : denied) {
    EXPECT_EQ(str(p, "endpoint"), "assign_task");
    EXPECT_EQ(str(p, "project_id"), h.project);
    EXPECT_EQ(str(p, "task_id"), task);
    if (p.at("reason").as_string() == "insufficient_role") {
      ++role_events;
      role_refusals += p.at("count").as_int64();
      EXPECT_EQ(str(p, "key_name"), "agent-a");
      EXPECT_EQ(p.at("caller_roles"), (json::array{"agent"}));
      EXPECT_EQ(p.at("required_roles"), (json::array{"admin", "operator", "planner"}));
    } else {
      EXPECT_EQ(str(p, "key_project_id"), other);
      EXPECT_EQ(str(p, "target_project_id"), h.project);
      EXPECT_EQ(p.at("count").as_int64(), 1);
    }
  }
  // One event for the window's first refusal; the rest are counted, not written one by one
  // (a minute boundary during the flood may add one more event for the closed window).
  EXPECT_GE(role_events, 1u);
  EXPECT_LE(role_events, 3u);
  EXPECT_LE(role_refusals, flood);
}

// ---- durability ---------------------------------------------------------------------------------

TEST(ApiKeysE2e, KeysAndRevocationsSurviveSigkillAndReplay) {
  temp_dir data;
  std::string project, admin_key;
  issued_key agent, ops, revoked;
  json::object digest_before;
  {
    server_process server(data.str(), {}, auth_setting::required);
    auto admin = server.client();
    admin_key = server.admin_key();
    project = create_project(admin, "Durable");
    agent = make_key(admin, project, "agent-a", json::array{"agent"});
    ops = make_key(admin, "*", "ops", json::array{"operator"});
    revoked = make_key(admin, project, "gone", json::array{"admin"});
    expect_object(post_revoke(admin, revoked.id, project), 200, "revoke");
    EXPECT_EQ(as(server, agent.raw).get("/v1/projects/" + project).status, 200);
    digest_before = get_digest(admin);
    server.kill_hard();
  }

  server_process server(data.str(), {}, auth_setting::required);
  EXPECT_EQ(server.output().find("tsk_"), std::string::npos) << server.output();
  ASSERT_EQ(server.admin_key(), admin_key);
  auto admin = server.client();
  // The list is rebuilt from the log; last use is kept beside it (see LastUsedAtSurvivesARestart).
  auto items = list_keys(admin, project);
  ASSERT_EQ(items.size(), 2u) << json::serialize(items);
  auto* gone = listed(items, revoked.id);
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(str(*gone, "status"), "revoked");
  EXPECT_FALSE(str(*gone, "revoked_at").empty());
  auto* kept = listed(items, agent.id);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(str(*kept, "status"), "active");
  ASSERT_TRUE(kept->at("last_used_at").is_string()) << json::serialize(*kept);
  EXPECT_GE(str(*kept, "last_used_at"), str(*kept, "created_at"));

  expect_unauthorised(as(server, revoked.raw).get("/v1/projects/" + project), "AUTH_INVALID",
                      "revoked before the crash");
  auto agent_client = as(server, agent.raw);
  EXPECT_EQ(agent_client.get("/v1/projects/" + project).status, 200);
  EXPECT_EQ(error_code(agent_client.get("/v1/admin/digest")), "INSUFFICIENT_ROLE");
  auto ops_client = as(server, ops.raw);
  auto digest = get_digest(ops_client);
  EXPECT_EQ(digest, digest_before);
  auto again = post_revoke(admin, revoked.id, project);
  EXPECT_EQ(error_code(again), "ALREADY_REVOKED") << again.body;

  // The offline rebuild reaches the same digest as the running server.
  auto rebuilt = run_tool_json({"replay", "rebuild", "--data", data.str()});
  EXPECT_EQ(rebuilt.at("digest"), digest.at("digest"));
  EXPECT_EQ(rebuilt.at("checkpoint"), digest.at("checkpoint"));
}

// ---- keys issued offline and the first start ----------------------------------------------------

TEST(ApiKeysE2e, KeysCreatedOfflineWorkOnceTheServerStarts) {
  temp_dir data;
  std::string project;
  {
    server_process server(data.str(), {}, auth_setting::required);
    auto admin = server.client();
    project = create_project(admin, "Offline");
    ASSERT_EQ(server.stop(), 0) << server.output();
  }
  auto scoped = run_program(TASCADE_TOOL_PATH, {"keys", "create", "--data", data.str(),
                                                "--project", project, "--roles",
                                                "agent,reviewer", "--name", "night-shift"});
  ASSERT_EQ(scoped.exit_code, 0) << scoped.out << scoped.err;
  auto scoped_key = scoped.out.substr(0, scoped.out.find('\n'));
  ASSERT_TRUE(is_raw_key(scoped_key)) << scoped.out;
  EXPECT_EQ(scoped.out, scoped_key + "\n") << "stdout carries the key alone";
  auto global = run_program(TASCADE_TOOL_PATH, {"keys", "create", "--data", data.str(),
                                                "--project", "*", "--roles", "operator",
                                                "--name", "ops"});
  ASSERT_EQ(global.exit_code, 0) << global.out << global.err;
  auto global_key = global.out.substr(0, global.out.find('\n'));
  ASSERT_TRUE(is_raw_key(global_key)) << global.out;
  // Refusals write nothing.
  auto bad_role = run_program(TASCADE_TOOL_PATH, {"keys", "create", "--data", data.str(),
                                                  "--project", project, "--roles", "wizard"});
  EXPECT_NE(bad_role.exit_code, 0) << bad_role.out;
  EXPECT_EQ(bad_role.out.find("tsk_"), std::string::npos) << bad_role.out;
  auto no_project = run_program(TASCADE_TOOL_PATH, {"keys", "create", "--data", data.str(),
                                                    "--project", unknown_uuid, "--roles",
                                                    "agent"});
  EXPECT_NE(no_project.exit_code, 0) << no_project.out;
  EXPECT_EQ(no_project.out.find("tsk_"), std::string::npos) << no_project.out;

  server_process server(data.str(), {}, auth_setting::required);
  auto night = as(server, scoped_key);
  EXPECT_EQ(night.get("/v1/projects/" + project).status, 200);
  auto graph = get_graph(night, project);
  EXPECT_EQ(str(graph.at("project").as_object(), "id"), project);
  auto denied = night.post("/v1/projects", json::object{{"name", "No"}});
  EXPECT_EQ(error_code(denied), "INSUFFICIENT_ROLE") << denied.body;
  auto ops = as(server, global_key);
  EXPECT_EQ(ops.get("/v1/admin/digest").status, 200);
  auto items = list_keys(ops, project);
  ASSERT_EQ(items.size(), 1u) << json::serialize(items);
  auto& k = items[0].as_object();
  EXPECT_EQ(str(k, "name"), "night-shift");
  EXPECT_EQ(k.at("role_scopes"), (json::array{"agent", "reviewer"}));
  EXPECT_EQ(str(k, "status"), "active");
  // Exactly the two offline keys plus the first start's admin key.
  EXPECT_EQ(list_keys(ops, "*").size(), 3u);
}

TEST(ApiKeysE2e, TheFirstStartPrintsTheAdminKeyOnce) {
  temp_dir data;
  std::string key;
  {
    server_process server(data.str(), {}, auth_setting::required);
    auto out = server.output();
    EXPECT_EQ(count_of(out, "admin key (shown once, keep it): tsk_"), 1u) << out;
    EXPECT_EQ(count_of(out, "tsk_"), 1u) << out;
    key = server.admin_key();
    ASSERT_TRUE(is_raw_key(key)) << out;
    // It is a global admin key.
    auto admin = as(server, key);
    EXPECT_EQ(admin.post("/v1/projects", json::object{{"name", "First"}}).status, 201);
    auto keys = list_keys(admin, "*");
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_EQ(str(keys[0].as_object(), "name"), "admin");
    EXPECT_EQ(str(keys[0].as_object(), "project_id"), "*");
    EXPECT_EQ(keys[0].at("role_scopes"), json::array{"admin"});
    EXPECT_EQ(server.stop(), 0);
  }
  server_process server(data.str(), {}, auth_setting::required);
  auto out = server.output();
  EXPECT_EQ(out.find("tsk_"), std::string::npos) << out;
  EXPECT_EQ(out.find("admin key"), std::string::npos) << out;
  auto admin = as(server, key);
  EXPECT_EQ(admin.get("/v1/projects").status, 200);
  EXPECT_EQ(list_keys(admin, "*").size(), 1u) << "no second admin key";
}

}  // namespace
}  // namespace tascade::test

namespace tascade::test {
namespace {

// Every file under `dir`, read whole, searched for `needle`.
bool any_file_contains(const std::filesystem::path& dir, const std::string& needle) {
  for (auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file())
      continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos)
      return true;
  }
  return false;
}

TEST(ApiKeysE2e, ARawKeyIsNeverStoredForAnIdempotentReplay) {
  keyed_server s;
  auto project = create_project(s.admin, "Secrets");
  json::object body{{"project_id", project}, {"name", "w"}, {"role_scopes", json::array{"agent"}},
                    {"created_by", "admin"}};
  auto first = s.admin.post("/v1/api-keys", body, {{"Idempotency-Key", "k-secret"}});
  auto raw = str(expect_object(first, 201, "create key"), "raw_key");
  ASSERT_TRUE(is_raw_key(raw));
  // A repeat is a new key, not a replay of the stored secret.
  auto again = s.admin.post("/v1/api-keys", body, {{"Idempotency-Key", "k-secret"}});
  auto second = str(expect_object(again, 201, "create key again"), "raw_key");
  EXPECT_NE(second, raw);
  EXPECT_TRUE(again.header("Idempotent-Replayed").empty());
  s.server.stop();
  EXPECT_FALSE(any_file_contains(s.data.path(), raw.substr(4))) << "raw key found at rest";
  EXPECT_FALSE(any_file_contains(s.data.path(), second.substr(4))) << "raw key found at rest";
}

TEST(ApiKeysE2e, TheAdminKeySurvivesAFirstStartThatCannotListen) {
  temp_dir data;
  // Take a port, so that the first start fails after issuing its key.
  server_process blocker(data.str() + "-blocker", {}, auth_setting::required);
  auto failed = run_program(TASCADED_PATH, {"--data", data.str(), "--port",
                                            std::to_string(blocker.port()), "--log-level", "info"});
  EXPECT_NE(failed.exit_code, 0);
  auto printed = failed.out.find("tsk_");
  ASSERT_NE(printed, std::string::npos) << failed.out << failed.err;
  auto key = failed.out.substr(printed, 68);
  server_process server(data.str(), {}, auth_setting::required);
  auto c = server.client();
  c.default_headers({{"Authorization", "Bearer " + key}});
  EXPECT_EQ(c.get("/v1/projects").status, 200);
  std::filesystem::remove_all(data.str() + "-blocker");
}

}  // namespace
}  // namespace tascade::test

// End-to-end: the HTTP protocol around the operations (validation shape, size limit, unknown
// routes and methods, keep-alive, route precedence) and the command line of tascaded
// (spec §3.1, §5.1, §16.1).

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

// The 422 shape: a non-empty `detail` array whose entries carry `loc` and `msg`, beside the
// error envelope with code VALIDATION_ERROR.
void expect_validation_shape(const http_response& r) {
  ASSERT_EQ(r.status, 422) << r.body;
  auto body = r.json().as_object();
  ASSERT_TRUE(body.contains("detail")) << r.body;
  auto& detail = body.at("detail").as_array();
  ASSERT_FALSE(detail.empty()) << r.body;
  for (auto& entry : detail) {
    EXPECT_TRUE(entry.as_object().contains("loc")) << r.body;
    EXPECT_TRUE(entry.at("loc").is_array()) << r.body;
    EXPECT_TRUE(entry.at("msg").is_string()) << r.body;
  }
  EXPECT_EQ(error_code(r), "VALIDATION_ERROR") << r.body;
  EXPECT_EQ(body.at("error").at("retryable"), json::value(false));
}

// True when some `detail` entry's `loc` is exactly `loc`.
bool names_location(const http_response& r, const json::array& loc) {
  auto body = r.json().as_object();
  auto* detail = body.if_contains("detail");
  if (!detail || !detail->is_array())
    return false;
  for (auto& entry : detail->get_array())
    if (entry.is_object() && entry.as_object().if_contains("loc") &&
        entry.at("loc") == json::value(loc))
      return true;
  return false;
}

size_t project_count(http_client& c) {
  return expect_object(c.get("/v1/projects"), 200, "list projects").at("items").as_array().size();
}

TEST(ProtocolE2e, BadJsonIsAValidationError) {
  running_server s;
  for (std::string body :
       {"{not json", R"({"name": "x")", "name=x", R"({"name": "x"} trailing)"}) {
    auto r = s.client.post_text("/v1/projects", body);
    SCOPED_TRACE(body);
    expect_validation_shape(r);
  }
  EXPECT_EQ(project_count(s.client), 0u);
}

TEST(ProtocolE2e, NonObjectBodyIsAValidationError) {
  running_server s;
  for (std::string body : {"[]", R"([{"name": "x"}])", "\"x\"", "42", "true"}) {
    auto r = s.client.post_text("/v1/projects", body);
    SCOPED_TRACE(body);
    expect_validation_shape(r);
  }
  EXPECT_EQ(project_count(s.client), 0u);
}

TEST(ProtocolE2e, UnknownBodyFieldIsRejectedByName) {
  running_server s;
  auto r = s.client.post("/v1/projects", json::object{{"name", "x"}, {"colour", "blue"}});
  expect_validation_shape(r);
  EXPECT_TRUE(names_location(r, {"body", "colour"})) << r.body;
  EXPECT_NE(r.body.find("colour"), std::string::npos);
  EXPECT_EQ(project_count(s.client), 0u);
}

TEST(ProtocolE2e, PathParameterInTheBodyIsRejected) {
  running_server s;
  auto project = create_project(s.client, "P");
  auto r = s.client.post("/v1/projects/" + project + "/phases",
                         json::object{{"project_id", project}, {"name", "x"}, {"sequence", 0}});
  expect_validation_shape(r);
  EXPECT_TRUE(names_location(r, {"body", "project_id"})) << r.body;
}

TEST(ProtocolE2e, WrongTypesAreRejectedByName) {
  running_server s;
  auto name = s.client.post("/v1/projects", json::object{{"name", 5}});
  expect_validation_shape(name);
  EXPECT_TRUE(names_location(name, {"body", "name"})) << name.body;

  auto project = create_project(s.client, "Typed");
  auto sequence = s.client.post("/v1/projects/" + project + "/phases",
                                json::object{{"name", "P"}, {"sequence", "1"}});
  expect_validation_shape(sequence);
  EXPECT_TRUE(names_location(sequence, {"body", "sequence"})) << sequence.body;

  auto limit = s.client.get("/v1/tasks?project_id=" + project + "&limit=ten");
  expect_validation_shape(limit);
  EXPECT_TRUE(names_location(limit, {"query", "limit"})) << limit.body;

  auto missing = s.client.get("/v1/tasks");
  expect_validation_shape(missing);
  EXPECT_TRUE(names_location(missing, {"query", "project_id"})) << missing.body;
  EXPECT_EQ(project_count(s.client), 1u);
}

TEST(ProtocolE2e, NullBodyMeansNoFields) {
  running_server s;
  auto r = s.client.post_text("/v1/projects", "null");
  expect_validation_shape(r);
  EXPECT_TRUE(names_location(r, {"body", "name"})) << r.body;
}

TEST(ProtocolE2e, OversizeBodyIsRefusedWith413) {
  running_server s({"--body-limit", "1024"});
  auto big = json::serialize(json::object{{"name", std::string(4096, 'x')}});
  auto r = s.client.post_text("/v1/projects", big);
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(project_count(s.client), 0u);
  // A body under the limit still works.
  auto small = s.client.post("/v1/projects", json::object{{"name", std::string(900, 'y')}});
  EXPECT_EQ(small.status, 201) << small.body;
}

TEST(ProtocolE2e, UnknownRouteIs404) {
  running_server s;
  for (std::string target : {"/v1/nothing", "/v1", "/v1/projects/a/b/c/d", "/v1/healthz"}) {
    auto r = s.client.get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body, R"({"detail":"Not Found"})") << target;
  }
}

TEST(ProtocolE2e, WrongMethodIs405) {
  running_server s;
  auto project = create_project(s.client, "P");
  std::vector<std::pair<std::string, std::string>> cases{{"DELETE", "/v1/projects"},
                                                         {"PUT", "/v1/projects/" + project},
                                                         {"GET", "/v1/dependencies"},
                                                         {"POST", "/health"},
                                                         {"PATCH", "/v1/tasks"}};
  for (auto& [method, target] : cases) {
    auto r = s.client.request(method, target, "");
    EXPECT_EQ(r.status, 405) << method << " " << target;
    EXPECT_EQ(r.body, R"({"detail":"Method Not Allowed"})") << method << " " << target;
  }
}

// Every answer says how long the server itself took, successes and refusals alike.
TEST(ProtocolE2e, EveryResponseCarriesTheServersOwnTime) {
  running_server s;
  auto project = create_project(s.client, "Timed");
  for (auto r : {s.client.get("/health"), s.client.get("/v1/projects/" + project),
                 s.client.get("/v1/nothing"), s.client.post_text("/v1/projects", "{")}) {
    auto timing = r.header("Server-Timing");
    ASSERT_EQ(timing.rfind("app;dur=", 0), 0u) << r.status << " " << timing;
    auto ms = std::stod(timing.substr(8));
    EXPECT_GE(ms, 0.0) << timing;
    EXPECT_LT(ms, 60000.0) << timing;
  }
}

TEST(ProtocolE2e, KeepAliveServesManyRequestsOnOneConnection) {
  running_server s;
  auto project = create_project(s.client, "Keep");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(s.client.get("/health").status, 200);
    EXPECT_EQ(create_phase(s.client, project, "Phase", i).at("sequence"), json::value(i));
    // Errors keep the connection open too.
    EXPECT_EQ(s.client.get("/v1/nothing").status, 404);
    EXPECT_EQ(s.client.post_text("/v1/projects", "{").status, 422);
  }
  auto phases = expect_object(s.client.get("/v1/projects/" + project + "/phases"), 200, "phases");
  EXPECT_EQ(phases.at("items").as_array().size(), 5u);
  EXPECT_EQ(s.client.connections_opened(), 1);
}

TEST(ProtocolE2e, MalformedRequestDoesNotHurtTheServer) {
  running_server s;
  auto r = s.client.send_raw("THIS IS NOT HTTP\r\n\r\n");
  // The server may close without a word or answer 400; it must not treat it as a request.
  EXPECT_TRUE(r.status == 0 || r.status == 400) << r.status << " " << r.body;
  auto truncated = s.client.send_raw(
    "POST /v1/projects HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}");
  EXPECT_TRUE(truncated.status == 0 || truncated.status == 400) << truncated.status;
  EXPECT_EQ(s.client.get("/health").status, 200);
  EXPECT_EQ(project_count(s.client), 0u);
}

TEST(ProtocolE2e, RawRequestIsAnswered) {
  running_server s;
  auto r =
    s.client.send_raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), (json::value{{"status", "ok"}}));
}

// Spec §5.1: GET /v1/tasks/ready must win over GET /v1/tasks/{task_id}: "ready" is never
// looked up as a task reference.
TEST(ProtocolE2e, ReadyRouteIsNotParsedAsATaskId) {
  running_server s;
  auto h = setup_h(s.client);
  create_task(s.client, h.project, h.milestone, "T");
  auto r = s.client.get("/v1/tasks/ready?project_id=" + h.project + "&agent_id=agent-a");
  EXPECT_NE(error_code(r), "TASK_NOT_FOUND") << r.status << " " << r.body;
}

TEST(ProtocolE2e, HelpListsTheEnvironmentVariables) {
  auto r = run_program(TASCADED_PATH, {"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (auto var : {"TASCADE_DATA_DIR", "TASCADE_HOST", "TASCADE_PORT", "TASCADE_AUTH_DISABLED",
                   "TASCADE_LOG_LEVEL"})
    EXPECT_NE(r.out.find(var), std::string::npos) << var << " missing from:\n" << r.out;
}

TEST(ProtocolE2e, UnknownFlagExitsNonZero) {
  temp_dir data;
  auto r = run_program(TASCADED_PATH, {"--data", data.str(), "--port", "0", "--no-such-flag"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.exit_code, -1) << "tascaded had to be killed or crashed";
  EXPECT_NE((r.out + r.err).find("--no-such-flag"), std::string::npos) << r.out << r.err;
}

TEST(ProtocolE2e, BadFlagValueExitsNonZero) {
  temp_dir data;
  auto r = run_program(TASCADED_PATH, {"--data", data.str(), "--port", "not-a-port"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.exit_code, -1) << "tascaded had to be killed or crashed";
}

}  // namespace
}  // namespace tascade::test

namespace tascade::test {
namespace {

TEST(ProtocolE2e, AnIntegerBeyondInt64IsAValidationErrorNotACrash) {
  running_server s;
  auto project = create_project(s.client, "Numbers");
  auto r = s.client.post_text("/v1/projects/" + project + "/phases",
                              R"({"name":"x","sequence":18446744073709551615})");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("sequence"), std::string::npos) << r.body;
  EXPECT_EQ(s.client.get("/health").status, 200);  // still alive
}

TEST(ProtocolE2e, SigtermWhileRequestsAreInFlightExitsCleanly) {
  running_server s;
  auto h = setup_h(s.client);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i)
    writers.emplace_back([&] {
      auto c = s.server.client();
      try {
        while (!stop)
          create_task(c, h.project, h.milestone, "busy");
      } catch (...) {
        // the server going away mid-request is expected here
      }
    });
  // Let the writers get going: wait until a few tasks exist.
  EXPECT_TRUE(eventually([&] {
    auto page = s.client.get("/v1/tasks?project_id=" + h.project + "&limit=0");
    return page.status == 200 && page.json().at("total").to_number<int64_t>() >= 20;
  }));
  EXPECT_EQ(s.server.stop(), 0) << s.server.output();
  stop = true;
  for (auto& t : writers)
    t.join();
}

}  // namespace
}  // namespace tascade::test

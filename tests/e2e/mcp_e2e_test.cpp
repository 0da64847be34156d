// MCP against the real server at the protocol level: Streamable HTTP (sessions, versions,
// status codes, Origin) and WebSocket (subprotocol, framing), with and without API keys. The
// official TypeScript SDK drives the same surface in tests/mcp/sdk_client_test.mjs.

#include "tests/support/fixtures.hpp"
#include "tests/support/stream_client.hpp"

#include <gtest/gtest.h>

namespace tascade::test {
namespace {

namespace json = boost::json;

const header_list mcp_accept{{"Accept", "application/json, text/event-stream"}};

json::object rpc(int id, std::string method, json::object params = {}) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
}

json::object initialize_params(std::string version = "2025-11-25") {
  return {{"protocolVersion", version},
          {"capabilities", json::object{}},
          {"clientInfo", {{"name", "e2e"}, {"version", "1"}}}};
}

header_list with(header_list base, header_list more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

// An initialized HTTP session: its id, and the headers every later request needs.
struct http_session {
  std::string id;
  header_list headers;
};

http_session open_session(http_client& c, header_list extra = {}) {
  auto r = c.post("/mcp", rpc(1, "initialize", initialize_params()), with(mcp_accept, extra));
  if (r.status != 200)
    throw std::runtime_error("initialize: " + std::to_string(r.status) + " " + r.body);
  http_session s;
  s.id = r.header("Mcp-Session-Id");
  s.headers = with(with(mcp_accept, extra), {{"Mcp-Session-Id", s.id}, {"MCP-Protocol-Version", "2025-11-25"}});
  auto done = c.post("/mcp", json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}},
                     s.headers);
  if (done.status != 202 || !done.body.empty())
    throw std::runtime_error("initialized: " + std::to_string(done.status) + " " + done.body);
  return s;
}

json::object tool_result(const http_response& r) {
  auto body = expect_object(r, 200, "tools/call");
  return body.at("result").as_object();
}

TEST(McpHttpE2e, InitializeNegotiatesAndOpensASession) {
  running_server s;
  auto r = s.client.post("/mcp", rpc(1, "initialize", initialize_params("2025-06-18")), mcp_accept);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  auto result = r.json().at("result").as_object();
  EXPECT_EQ(result.at("protocolVersion").as_string(), "2025-06-18");
  EXPECT_EQ(result.at("serverInfo").at("name").as_string(), "tascade");
  auto id = r.header("Mcp-Session-Id");
  EXPECT_EQ(id.size(), 36u) << "an unguessable UUID";
  auto old = s.client.post("/mcp", rpc(1, "initialize", initialize_params("2023-01-01")), mcp_accept);
  EXPECT_EQ(old.json().at("result").at("protocolVersion").as_string(), "2025-11-25");
  EXPECT_NE(old.header("Mcp-Session-Id"), id);
}

TEST(McpHttpE2e, SessionsVersionsAndMalformedMessagesGetTheRightStatus) {
  running_server s;
  auto session = open_session(s.client);
  auto list = s.client.post("/mcp", rpc(2, "tools/list"), session.headers);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_GT(list.json().at("result").at("tools").as_array().size(), 20u);

  auto no_session = s.client.post("/mcp", rpc(3, "tools/list"), mcp_accept);
  EXPECT_EQ(no_session.status, 400) << no_session.body;
  auto unknown = s.client.post("/mcp", rpc(3, "tools/list"),
                               with(mcp_accept, {{"Mcp-Session-Id", "not-a-session"}}));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json().at("error").at("code").as_int64(), -32001);
  auto version = s.client.post("/mcp", rpc(3, "tools/list"),
                               with(mcp_accept, {{"Mcp-Session-Id", session.id},
                                                 {"MCP-Protocol-Version", "1999-01-01"}}));
  EXPECT_EQ(version.status, 400);
  auto parse = s.client.post("/mcp", std::string("{not json"), session.headers);
  EXPECT_EQ(parse.status, 400);
  EXPECT_EQ(parse.json().at("error").at("code").as_int64(), -32700);
  auto batch = s.client.post("/mcp", json::array{rpc(4, "ping")}, session.headers);
  EXPECT_EQ(batch.status, 400);
  EXPECT_EQ(batch.json().at("error").at("code").as_int64(), -32600);
  auto method = s.client.post("/mcp", rpc(5, "prompts/list"), session.headers);
  EXPECT_EQ(method.json().at("error").at("code").as_int64(), -32601);
  auto tool = s.client.post("/mcp", rpc(6, "tools/call", {{"name", "no_such_tool"}}), session.headers);
  EXPECT_EQ(tool.json().at("error").at("code").as_int64(), -32602);
  auto get = s.client.get("/mcp", {{"Accept", "text/event-stream"}});
  EXPECT_EQ(get.status, 405);
  auto text = s.client.request("POST", "/mcp", "ping", with(session.headers, {{"Content-Type", "text/plain"}}));
  EXPECT_EQ(text.status, 415);

  auto ended = s.client.request("DELETE", "/mcp", "", session.headers);
  EXPECT_EQ(ended.status, 200);
  EXPECT_EQ(s.client.post("/mcp", rpc(7, "ping"), session.headers).status, 404);
}

TEST(McpHttpE2e, ToolCallsRunTheCatalogueAndFailuresAreToolResults) {
  running_server s;
  auto session = open_session(s.client);
  auto created = tool_result(s.client.post(
    "/mcp", rpc(2, "tools/call", {{"name", "create_project"}, {"arguments", {{"name", "Via MCP"}}}}),
    session.headers));
  EXPECT_FALSE(created.at("isError").as_bool());
  auto project = created.at("structuredContent").as_object();
  EXPECT_EQ(project.at("name").as_string(), "Via MCP");
  auto fetched = expect_object(s.client.get("/v1/projects/" + str(project, "id")), 200, "REST get");
  EXPECT_EQ(str(fetched, "name"), "Via MCP") << "MCP and REST share one store";

  auto missing = tool_result(s.client.post(
    "/mcp", rpc(3, "tools/call", {{"name", "get_project"},
                                  {"arguments", {{"project_id", "00000000-0000-4000-8000-000000000000"}}}}),
    session.headers));
  EXPECT_TRUE(missing.at("isError").as_bool());
  EXPECT_EQ(std::string(missing.at("content").at(0).at("text").as_string()),
            R"(Error executing tool get_project: {"error":{"code":"PROJECT_NOT_FOUND","message":"Project not found","retryable":false}})");
  auto invalid = tool_result(s.client.post(
    "/mcp", rpc(4, "tools/call", {{"name", "create_project"}, {"arguments", {{"name", 7}}}}),
    session.headers));
  EXPECT_TRUE(invalid.at("isError").as_bool());
  EXPECT_EQ(invalid.at("structuredContent").at("error").at("code").as_string(), "VALIDATION_ERROR");
}

TEST(McpHttpE2e, NotificationsGet202AndSseRepliesComeWhenAskedFor) {
  running_server s;
  auto session = open_session(s.client);
  auto note = s.client.post("/mcp", json::object{{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"},
                                                 {"params", {{"requestId", 1}}}},
                            session.headers);
  EXPECT_EQ(note.status, 202);
  EXPECT_TRUE(note.body.empty());
  auto sse_headers = session.headers;
  for (auto& [name, value] : sse_headers)
    if (name == "Accept")
      value = "text/event-stream, application/json";
  auto r = s.client.post("/mcp", rpc(9, "ping"), sse_headers);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "text/event-stream");
  EXPECT_EQ(r.body, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}\n\n");
}

TEST(McpHttpE2e, ForeignOriginsAreRefusedAndLoopbackOnesAllowed) {
  running_server s;
  auto evil = s.client.post("/mcp", rpc(1, "initialize", initialize_params()),
                            with(mcp_accept, {{"Origin", "https://evil.example"}}));
  EXPECT_EQ(evil.status, 403);
  auto local = s.client.post("/mcp", rpc(1, "initialize", initialize_params()),
                             with(mcp_accept, {{"Origin", "http://localhost:3000"}}));
  EXPECT_EQ(local.status, 200);
  EXPECT_EQ(ws_client::upgrade_status(s.server.port(), "/mcp", {{"Origin", "https://evil.example"}}, "mcp"),
            403);
  running_server allowing({"--allowed-origins", "https://console.example"});
  auto allowed = allowing.client.post("/mcp", rpc(1, "initialize", initialize_params()),
                                      with(mcp_accept, {{"Origin", "https://console.example"}}));
  EXPECT_EQ(allowed.status, 200);
}

TEST(McpWebSocketE2e, SpeaksMcpOneMessagePerFrame) {
  running_server s;
  header_list key;
  if (!s.server.admin_key().empty())
    key = {{"Authorization", "Bearer " + s.server.admin_key()}};
  ws_client ws(s.server.port(), "/mcp", key, "mcp");
  EXPECT_EQ(ws.subprotocol(), "mcp");
  ws.send(json::serialize(rpc(1, "tools/list")));
  auto early = json::parse(*ws.receive());
  EXPECT_EQ(early.at("error").at("code").as_int64(), -32600) << "initialize comes first";
  ws.send(json::serialize(rpc(2, "initialize", initialize_params("2025-03-26"))));
  auto init = json::parse(*ws.receive());
  EXPECT_EQ(init.at("id").as_int64(), 2);
  EXPECT_EQ(init.at("result").at("protocolVersion").as_string(), "2025-03-26");
  ws.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  ws.send("{oops");
  auto parse = json::parse(*ws.receive());
  EXPECT_EQ(parse.at("error").at("code").as_int64(), -32700) << "the notification got no reply";
  ws.send(json::serialize(rpc(3, "tools/call", {{"name", "get_instructions"}})));
  auto guide = json::parse(*ws.receive());
  EXPECT_NE(std::string(guide.at("result").at("content").at(0).at("text").as_string()).find("Project Setup"),
            std::string::npos);
  ws.send(json::serialize(rpc(4, "tools/call", {{"name", "create_project"}, {"arguments", {{"name", "WS"}}}})));
  auto created = json::parse(*ws.receive());
  EXPECT_EQ(created.at("result").at("structuredContent").at("name").as_string(), "WS");
}

TEST(McpAuthE2e, KeysAreCheckedLikeRest) {
  temp_dir data;
  server_process server(data.str(), {}, auth_setting::required);
  auto admin = server.client();
  auto a = create_project(admin, "A");
  auto b = create_project(admin, "B");
  auto key = expect_object(admin.post("/v1/api-keys", json::object{{"project_id", a},
                                                                  {"name", "agent-1"},
                                                                  {"role_scopes", json::array{"agent"}},
                                                                  {"created_by", "admin"}}),
                           201, "create key");
  header_list agent{{"Authorization", "Bearer " + str(key, "raw_key")}};
  http_client anonymous(server.port());
  auto none = anonymous.post("/mcp", rpc(1, "initialize", initialize_params()), mcp_accept);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(ws_client::upgrade_status(server.port(), "/mcp", {}, "mcp"), 401);

  auto session = open_session(anonymous, agent);
  auto other = tool_result(anonymous.post(
    "/mcp", rpc(2, "tools/call", {{"name", "list_tasks"}, {"arguments", {{"project_id", b}}}}),
    session.headers));
  EXPECT_EQ(other.at("structuredContent").at("error").at("code").as_string(), "PROJECT_SCOPE_VIOLATION");
  auto role = tool_result(anonymous.post(
    "/mcp", rpc(3, "tools/call", {{"name", "create_project"}, {"arguments", {{"name", "X"}}}}),
    session.headers));
  EXPECT_EQ(role.at("structuredContent").at("error").at("code").as_string(), "INSUFFICIENT_ROLE");
  auto own = tool_result(anonymous.post(
    "/mcp", rpc(4, "tools/call", {{"name", "list_tasks"}, {"arguments", {{"project_id", a}}}}),
    session.headers));
  EXPECT_FALSE(own.at("isError").as_bool());
  // Another key cannot use this session.
  auto stolen = admin.post("/mcp", rpc(5, "ping"),
                           with(mcp_accept, {{"Mcp-Session-Id", session.id}}));
  EXPECT_EQ(stolen.status, 404);
  // WebSocket with the key in the query string (browser-style clients cannot set headers).
  ws_client ws(server.port(), "/mcp?access_token=" + str(key, "raw_key"), {}, "mcp");
  ws.send(json::serialize(rpc(1, "initialize", initialize_params())));
  EXPECT_TRUE(json::parse(*ws.receive()).as_object().contains("result"));
  // A key revoked mid-session stops working at the next message, and the session ends.
  auto revoked = admin.post("/v1/api-keys/" + str(key, "id") + "/revoke?project_id=" + a,
                            json::object{});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  ws.send(json::serialize(rpc(2, "ping")));
  auto refused = json::parse(*ws.receive());
  EXPECT_EQ(refused.at("error").at("code").as_int64(), -32000);
  EXPECT_FALSE(ws.receive());
  EXPECT_EQ(ws.close_code(), 1008);
}

}  // namespace
}  // namespace tascade::test

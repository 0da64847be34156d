// The MCP layer without a server: JSON-RPC framing, the lifecycle and version negotiation,
// pagination, tool calls through validation → authorization → handler, error normalisation.

#include "catalogue/catalogue.hpp"
#include "mcp/dispatcher.hpp"
#include "catalogue/instructions.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/tool_results.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <set>

namespace tascade::mcp {
namespace {

namespace json = boost::json;

field_spec field(std::string name, field_type type, bool required) {
  field_spec f;
  f.name = std::move(name);
  f.type = type;
  f.required = required;
  return f;
}

// A small catalogue: echo (any key), a project-scoped write, and failing operations.
std::vector<operation> fake_ops() {
  std::vector<operation> ops;
  ops.push_back({"echo", "Echo the input.", "GET", "/echo", std::vector<role>{}, false, 200, "",
                 {field("text", field_type::string, true)},
                 [](call_context ctx, json::object in) { ctx.reply({200, in}); }});
  ops.back().scope = scope_kind::filtered;
  ops.push_back({"write_thing", "Write something in a project.", "POST", "/things",
                 std::vector<role>{role::planner}, false, 201, "",
                 {field("project_id", field_type::string, true)},
                 [](call_context ctx, json::object) { ctx.reply({201, json::object{{"ok", true}}}); }});
  ops.push_back({"stale", "Fails with PLAN_STALE.", "POST", "/stale", std::vector<role>{}, false,
                 200, "", {},
                 [](call_context ctx, json::object) {
                   ctx.fail(make_error(errc::plan_stale, "base plan version is stale",
                                       json::object{{"current", 3}}));
                 }});
  ops.back().scope = scope_kind::filtered;
  ops.push_back({"broken_store", "Fails in storage.", "POST", "/broken", std::vector<role>{},
                 false, 200, "", {},
                 [](call_context ctx, json::object) {
                   ctx.fail(make_error(errc::storage_failure, "rocksdb: IO error: /secret/path"));
                 }});
  ops.back().scope = scope_kind::filtered;
  ops.push_back(catalogue::get_instructions_operation());
  return ops;
}

struct fixture {
  std::vector<operation> ops = fake_ops();
  dispatcher mcp{ops, {.page_size = 2}};
  session_state session;
  principal admin;

  // Sends one message; returns the reply (null when there is none). Handlers answer inline.
  json::value send(const json::value& message, const principal& who) {
    json::value out;
    bool called = false;
    mcp.handle(session, who, message, [&](std::optional<json::object> reply) {
      called = true;
      if (reply)
        out = std::move(*reply);
    });
    EXPECT_TRUE(called);
    return out;
  }
  json::value send(const json::value& message) { return send(message, admin); }
  json::value request(std::string method, json::object params = {}, const principal* who = nullptr) {
    return send(json::object{{"jsonrpc", "2.0"}, {"id", ++next_id}, {"method", method},
                             {"params", params}},
                who ? *who : admin);
  }
  json::value initialize(std::string version = "2025-11-25") {
    return request("initialize", {{"protocolVersion", version},
                                  {"capabilities", json::object{}},
                                  {"clientInfo", {{"name", "test"}, {"version", "1"}}}});
  }
  json::value call(std::string tool, json::object args, const principal* who = nullptr) {
    return request("tools/call", {{"name", tool}, {"arguments", args}}, who);
  }
  int64_t next_id = 0;
};

int64_t error_code(const json::value& reply) {
  return reply.at("error").at("code").as_int64();
}

TEST(McpJsonRpc, ClassifiesMessagesAndRefusesMalformedOnes) {
  EXPECT_EQ(classify(json::parse(R"({"jsonrpc":"2.0","id":1,"method":"ping"})")).what,
            incoming::kind::request);
  EXPECT_EQ(classify(json::parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})")).what,
            incoming::kind::notification);
  EXPECT_EQ(classify(json::parse(R"({"jsonrpc":"2.0","id":"a","result":{}})")).what,
            incoming::kind::response);
  for (auto bad : {R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", R"({"id":1,"method":"ping"})",
                   R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
                   R"({"jsonrpc":"2.0","id":1,"method":5})",
                   R"({"jsonrpc":"2.0","id":1,"method":"ping","params":[1]})", R"("text")"})
    EXPECT_EQ(classify(json::parse(bad)).what, incoming::kind::invalid) << bad;
}

TEST(McpLifecycle, NegotiatesTheClientsVersionWhenSupportedElseTheLatest) {
  for (auto version : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    fixture f;
    auto reply = f.initialize(version);
    EXPECT_EQ(reply.at("result").at("protocolVersion").as_string(), version);
    EXPECT_EQ(f.session.version(), version);
  }
  fixture f;
  auto reply = f.initialize("1999-01-01");
  auto& result = reply.at("result").as_object();
  EXPECT_EQ(result.at("protocolVersion").as_string(), "2025-11-25");
  EXPECT_EQ(result.at("serverInfo").at("name").as_string(), "tascade");
  EXPECT_FALSE(result.at("capabilities").at("tools").at("listChanged").as_bool());
  EXPECT_FALSE(result.contains("resultType"));
  EXPECT_EQ(error_code(f.initialize()), invalid_request) << "a second initialize is refused";
}

TEST(McpLifecycle, OnlyPingComesBeforeInitializeAndNotificationsGetNoReply) {
  fixture f;
  EXPECT_TRUE(f.request("ping").at("result").as_object().empty());
  EXPECT_EQ(error_code(f.request("tools/list")), invalid_request);
  EXPECT_EQ(error_code(f.request("initialize", {{"capabilities", json::object{}}})), invalid_params);
  f.initialize();
  EXPECT_TRUE(f.send(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}).is_null());
  EXPECT_TRUE(f.send(json::object{{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"},
                                  {"params", {{"requestId", 1}}}}).is_null());
  EXPECT_EQ(error_code(f.request("resources/list")), method_not_found);
  auto batch = f.send(json::array{json::object{{"jsonrpc", "2.0"}, {"id", 9}, {"method", "ping"}}});
  EXPECT_EQ(error_code(batch), invalid_request);
  EXPECT_TRUE(batch.at("id").is_null());
  auto bad = f.send(json::object{{"jsonrpc", "1.0"}, {"id", 7}, {"method", "ping"}});
  EXPECT_EQ(error_code(bad), invalid_request);
  EXPECT_EQ(bad.at("id").as_int64(), 7);
}

TEST(McpLifecycle, StatelessRequestsNeedNoHandshakeAndCarryResultType) {
  fixture f;
  auto discover = f.request("server/discover", {{"_meta", {{meta_version_key, stateless_version}}}});
  auto& d = discover.at("result").as_object();
  EXPECT_EQ(d.at("supportedVersions").as_array().front().as_string(), stateless_version);
  EXPECT_EQ(d.at("resultType").as_string(), "complete");
  auto list = f.request("tools/list", {{"_meta", {{meta_version_key, stateless_version}}}});
  EXPECT_EQ(list.at("result").at("resultType").as_string(), "complete");
  EXPECT_EQ(list.at("result").at("tools").as_array().size(), 2u);
  auto old = f.request("tools/list", {{"_meta", {{meta_version_key, "2030-01-01"}}}});
  EXPECT_EQ(error_code(old), -32022);
  EXPECT_FALSE(f.session.initialized());
}

TEST(McpTools, ListsEveryOperationAcrossPagesWithObjectSchemas) {
  fixture f;
  f.initialize();
  std::vector<std::string> names;
  std::string cursor;
  int pages = 0;
  do {
    json::object params;
    if (!cursor.empty())
      params["cursor"] = cursor;
    auto reply = f.request("tools/list", params);
    auto& result = reply.at("result").as_object();
    for (auto& tool : result.at("tools").as_array()) {
      names.emplace_back(tool.at("name").as_string());
      EXPECT_EQ(tool.at("inputSchema").at("type").as_string(), "object");
      EXPECT_FALSE(tool.at("description").as_string().empty());
    }
    cursor = result.contains("nextCursor") ? std::string(result.at("nextCursor").as_string()) : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names, (std::vector<std::string>{"echo", "write_thing", "stale", "broken_store",
                                              "get_instructions"}));
  EXPECT_EQ(error_code(f.request("tools/list", {{"cursor", "bogus"}})), invalid_params);
}

TEST(McpTools, CallsRunValidationThenAuthorizationThenTheHandler) {
  fixture f;
  f.initialize();
  auto ok = f.call("echo", {{"text", "hi"}}).at("result").as_object();
  EXPECT_FALSE(ok.at("isError").as_bool());
  EXPECT_EQ(ok.at("structuredContent").at("text").as_string(), "hi");
  EXPECT_EQ(json::parse(ok.at("content").at(0).at("text").as_string()).at("text").as_string(), "hi");

  EXPECT_EQ(error_code(f.call("nope", {})), invalid_params);
  EXPECT_EQ(error_code(f.request("tools/call", {{"name", "echo"}, {"arguments", 5}})), invalid_params);

  auto invalid = f.call("echo", {{"text", 5}}).at("result").as_object();
  EXPECT_TRUE(invalid.at("isError").as_bool());
  EXPECT_EQ(invalid.at("structuredContent").at("error").at("code").as_string(), "VALIDATION_ERROR");

  principal scoped{"k1", "11111111-1111-4111-8111-111111111111", "agent-1", {role::agent}};
  auto other = f.call("write_thing", {{"project_id", "22222222-2222-4222-8222-222222222222"}}, &scoped)
                 .at("result").as_object();
  EXPECT_EQ(other.at("structuredContent").at("error").at("code").as_string(),
            "PROJECT_SCOPE_VIOLATION");
  auto role = f.call("write_thing", {{"project_id", scoped.project}}, &scoped).at("result").as_object();
  EXPECT_EQ(role.at("structuredContent").at("error").at("code").as_string(), "INSUFFICIENT_ROLE");
  scoped.roles = {role::planner};
  auto allowed = f.call("write_thing", {{"project_id", scoped.project}}, &scoped).at("result").as_object();
  EXPECT_FALSE(allowed.at("isError").as_bool());
}

TEST(McpTools, FailuresAreNormalisedEnvelopesAfterTheReferencePrefix) {
  fixture f;
  f.initialize();
  auto stale = f.call("stale", {}).at("result").as_object();
  EXPECT_TRUE(stale.at("isError").as_bool());
  std::string text(stale.at("content").at(0).at("text").as_string());
  std::string prefix = "Error executing tool stale: ";
  ASSERT_EQ(text.rfind(prefix, 0), 0u) << text;
  auto envelope = json::parse(text.substr(prefix.size()));
  EXPECT_EQ(envelope.at("error").at("code").as_string(), "PLAN_STALE");
  EXPECT_TRUE(envelope.at("error").at("retryable").as_bool());
  EXPECT_FALSE(envelope.at("error").as_object().contains("details"));
  EXPECT_EQ(stale.at("structuredContent").at("error").at("details").at("current").as_int64(), 3);

  auto broken = f.call("broken_store", {}).at("result").as_object();
  auto db = json::parse(std::string(broken.at("content").at(0).at("text").as_string())
                          .substr(std::string("Error executing tool broken_store: ").size()));
  EXPECT_EQ(db, json::parse(R"({"error":{"code":"DB_ERROR","message":"Database operation failed","retryable":false}})"));
}

TEST(McpErrors, RegisteredCodesKeepTheReferenceWording) {
  EXPECT_EQ(normalise(make_error(errc::project_not_found, "no such project")),
            json::parse(R"({"code":"PROJECT_NOT_FOUND","message":"Project not found","retryable":false})"));
  EXPECT_EQ(normalise(make_error(errc::sequence_conflict, "x")).at("message").as_string(),
            "Sequence already exists in this scope");
  EXPECT_EQ(normalise(make_error(errc::gate_decision_required, "x")).at("message").as_string(),
            "Gate decision is required before integration");
  EXPECT_EQ(normalise(make_error(errc::self_review_not_allowed, "x")).at("code").as_string(),
            "SELF_REVIEW_NOT_ALLOWED");
  EXPECT_EQ(normalise(caf::make_error(caf::sec::runtime_error)).at("code").as_string(),
            "INVARIANT_VIOLATION");
}

TEST(McpInstructions, TheGuideCoversWhatTheReferenceChecks) {
  fixture f;
  f.initialize();
  auto result = f.call("get_instructions", {}).at("result").as_object();
  std::string text(result.at("content").at(0).at("text").as_string());
  EXPECT_EQ(text, catalogue::instructions_text());
  for (auto needle : {"Project Setup", "task_class", "work_spec", "reviewed_by",
                      "create_task_artifact", "approved_with_risk", "failed_checks"})
    EXPECT_NE(text.find(needle), std::string::npos) << needle;
}

// The real catalogue: every reference tool this build has, and no REST route for MCP-only ones.
TEST(McpCatalogue, OffersTheReferenceToolsAndEveryRestOperation) {
  static projection_hub hub;
  auto ops = catalogue::make_catalogue({nullptr, caf::actor{}, &hub});
  dispatcher mcp(ops, {.page_size = 1000});
  std::set<std::string> names;
  auto page = mcp.tools().list("", 1000);
  ASSERT_TRUE(page);
  EXPECT_FALSE(page->next_cursor);
  for (auto& tool : page->tools)
    names.insert(std::string(tool.at("name").as_string()));
  EXPECT_EQ(names.size(), ops.size());
  // Spec §15.3, every one of its tools.
  for (auto name : {"create_project", "get_project", "list_projects", "create_phase",
                    "create_milestone", "create_task", "get_task", "transition_task_state",
                    "create_dependency", "list_tasks", "create_task_artifact",
                    "list_task_artifacts", "enqueue_integration_attempt",
                    "update_integration_attempt_result", "list_integration_attempts",
                    "list_ready_tasks", "claim_task", "heartbeat_task", "assign_task",
                    "get_task_context", "get_project_graph", "get_instructions",
                    "create_gate_rule", "create_gate_decision", "list_gate_decisions",
                    "evaluate_gate_policies", "create_plan_changeset", "apply_plan_changeset"})
    EXPECT_TRUE(names.count(name)) << name;
  for (auto& op : ops)
    if (op.mcp_only) {
      EXPECT_TRUE(op.path.empty()) << op.name;
      EXPECT_TRUE(op.roles.has_value()) << op.name;
    }
}

}  // namespace
}  // namespace tascade::mcp

#include "mcp/dispatcher.hpp"

#include "catalogue/invoke.hpp"
#include "catalogue/schema.hpp"
#include "mcp/jsonrpc.hpp"
#include "mcp/tool_results.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>


namespace tascade::mcp {

namespace json = boost::json;

namespace {

constexpr const char* instructions_hint =
  "Tascade coordinates coding agents: projects, phases, milestones and tasks with "
  "dependencies, claims with leases, and review before integration. Call get_instructions "
  "once before any other tool for the protocol guide.";

// The stateless revision's per-request protocol version, when the request carries one.
std::optional<std::string> modern_version(const json::object& params) {
  auto* meta = params.if_contains("_meta");
  if (!meta || !meta->is_object())
    return std::nullopt;
  auto* v = meta->get_object().if_contains(meta_version_key);
  if (!v || !v->is_string())
    return std::nullopt;
  return std::string(v->get_string());
}

std::string problems_text(const std::vector<catalogue::input_problem>& problems) {
  std::string text = "Invalid arguments: ";
  for (size_t i = 0; i < problems.size(); ++i)
    text += (i ? "; " : "") + (problems[i].field.empty() ? "" : problems[i].field + ": ") +
            problems[i].message;
  return text;
}

json::array problems_json(const std::vector<catalogue::input_problem>& problems) {
  json::array out;
  for (auto& p : problems)
    out.push_back({{"type", p.type}, {"field", p.field}, {"msg", p.message}});
  return out;
}

}  // namespace

bool handshake_supported(std::string_view version) {
  for (auto v : handshake_versions)
    if (v == version)
      return true;
  return false;
}

bool session_state::initialized() const {
  std::lock_guard lock(mutex_);
  return initialize_seen_;
}

std::string session_state::version() const {
  std::lock_guard lock(mutex_);
  return version_;
}

dispatcher::dispatcher(const std::vector<operation>& ops, dispatcher_options options)
    : tools_(ops), options_(std::move(options)) {}

json::object dispatcher::server_info() const {
  return {{"name", options_.server_name}, {"version", options_.server_version},
          {"title", "Tascade"}};
}

json::object dispatcher::capabilities() const {
  return {{"tools", {{"listChanged", false}}}};
}

void dispatcher::handle(session_state& session, const principal& who, const json::value& message,
                        done_fn done) const {
  auto in = classify(message);
  using kind = incoming::kind;
  if (in.what == kind::invalid)
    return done(rpc_error(in.id, invalid_request, "Invalid Request: " + in.problem));
  if (in.what == kind::response)
    return done(std::nullopt);  // we send no requests, so there is nothing to match
  if (in.what == kind::notification) {
    if (in.method == "notifications/initialized") {
      std::lock_guard lock(session.mutex_);
      session.ready_ = session.initialize_seen_;
    }
    // notifications/cancelled and the rest: nothing to do, and never a reply.
    return done(std::nullopt);
  }

  const auto& id = in.id;
  auto modern = modern_version(in.params);
  if (modern && *modern != stateless_version)
    return done(rpc_error(id, -32022, "Unsupported protocol version: " + *modern,
                          json::object{{"supported", json::array{stateless_version}},
                                       {"requested", *modern}}));
  bool stateless = modern.has_value();
  auto reply = [&](json::object result) {
    if (stateless)
      result["resultType"] = "complete";
    done(rpc_result(id, std::move(result)));
  };

  if (in.method == "ping")
    return reply({});
  if (in.method == "server/discover")
    return reply({{"supportedVersions", json::array{stateless_version}},
                  {"capabilities", capabilities()},
                  {"serverInfo", server_info()},
                  {"instructions", instructions_hint}});
  if (in.method == "initialize") {
    auto* requested = in.params.if_contains("protocolVersion");
    if (!requested || !requested->is_string())
      return done(rpc_error(id, invalid_params, "initialize needs a protocolVersion string"));
    std::string version(requested->get_string());
    if (!handshake_supported(version))
      version = std::string(handshake_versions.front());
    {
      std::lock_guard lock(session.mutex_);
      if (session.initialize_seen_)
        return done(rpc_error(id, invalid_request, "Invalid Request: Server already initialized"));
      session.initialize_seen_ = true;
      session.version_ = version;
    }
    return reply({{"protocolVersion", version},
                  {"capabilities", capabilities()},
                  {"serverInfo", server_info()},
                  {"instructions", instructions_hint}});
  }
  if (!stateless && !session.initialized())
    return done(rpc_error(id, invalid_request,
                          "Invalid Request: the session is not initialized; send initialize first"));
  if (in.method == "tools/list") {
    std::string cursor;
    if (auto* c = in.params.if_contains("cursor"); c && !c->is_null()) {
      if (!c->is_string())
        return done(rpc_error(id, invalid_params, "cursor must be a string"));
      cursor = std::string(c->get_string());
    }
    auto page = tools_.list(cursor, options_.page_size);
    if (!page)
      return done(rpc_error(id, invalid_params, "Invalid cursor: " + cursor));
    json::object result{{"tools", std::move(page->tools)}};
    if (page->next_cursor)
      result["nextCursor"] = *page->next_cursor;
    return reply(std::move(result));
  }
  if (in.method == "tools/call")
    return call_tool(who, in.params, stateless, id, std::move(done));
  return done(rpc_error(id, method_not_found, "Method not found: " + in.method));
}

void dispatcher::call_tool(const principal& who, const json::object& params, bool stateless,
                           const json::value& id, done_fn done) const {
  auto* name = params.if_contains("name");
  if (!name || !name->is_string())
    return done(rpc_error(id, invalid_params, "tools/call needs a tool name"));
  std::string tool(name->get_string());
  const auto* op = tools_.find(tool);
  if (!op)
    return done(rpc_error(id, invalid_params, "Unknown tool: " + tool));
  json::object input;
  if (auto* args = params.if_contains("arguments"); args && !args->is_null()) {
    if (!args->is_object())
      return done(rpc_error(id, invalid_params, "arguments must be an object"));
    input = args->get_object();
  }
  auto finish = [id, stateless, done](json::object result) {
    if (stateless)
      result["resultType"] = "complete";
    done(rpc_result(id, std::move(result)));
  };
  catalogue::invocation context;
  context.record_denial = options_.record_denial;
  auto answer = [finish, tool](catalogue::outcome out) {
    using kind = catalogue::outcome::kind;
    if (out.what == kind::done)
      return finish(success_result(out.body));
    if (out.what == kind::invalid)
      return finish(error_result(tool,
                                 json::object{{"code", "VALIDATION_ERROR"},
                                              {"message", problems_text(out.problems)},
                                              {"retryable", false}},
                                 problems_json(out.problems)));
    finish(error_result(tool, out.error));
  };
  catalogue::invoke(*op, who, std::move(input), std::move(context), std::move(answer));
}

}  // namespace tascade::mcp

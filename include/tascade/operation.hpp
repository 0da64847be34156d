#pragma once
/// The operation catalogue's types: one row per operation, read by the REST router, the
/// OpenAPI generator and (later) the MCP tool list, so the surfaces cannot drift apart.

#include <caf/error.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tascade {

/// The five roles of API keys (spec §4.3).
enum class role : uint8_t { planner, agent, reviewer, operator_, admin };

/// Where a REST client puts a field.
enum class param_in : uint8_t { path, query, body };

/// `string_list` takes an array of strings or one comma-separated string.
enum class field_type : uint8_t {
  string, integer, number, boolean, object, string_array, array, string_list
};

/// One input field of an operation.
struct field_spec {
  std::string name{};
  field_type type = field_type::string;
  param_in in = param_in::body;
  bool required = false;
  bool nullable = false;
  std::optional<size_t> min_length{};      ///< strings only
  std::optional<double> minimum{};         ///< numbers only, inclusive
  std::optional<double> maximum{};         ///< numbers only, inclusive
  std::vector<std::string> enum_values{};  ///< strings only; empty = any
  boost::json::value default_value{};      ///< used when absent and not required (null = none)
  std::string description{};
};

/// Where an operation's project comes from, for the scope check (spec §4.4).
enum class scope_kind : uint8_t {
  automatic,  ///< the input field `project_id` when there is one, else none
  global,     ///< acts on no single project: only global keys (create_project, digest)
  filtered,   ///< the handler shows a scoped key only its own project (lists, lookups)
};

/// Who is calling, as authentication established it. The default is development mode's
/// anonymous administrator.
struct principal {
  std::string key_id = "anonymous";
  std::string project = "*";  ///< a project UUID, or "*" for a global key
  std::string name = "anonymous";
  std::vector<role> roles{role::admin};

  bool global() const { return project == "*"; }
  bool has(role r) const {
    for (auto held : roles)
      if (held == r)
        return true;
    return false;
  }
};

/// A successful result: the HTTP status and the JSON body.
struct op_result {
  int status = 200;
  boost::json::value body;
};

/// Delivers an operation's outcome exactly once; may be called from any thread.
using reply_fn = std::function<void(op_result)>;
using fail_fn = std::function<void(caf::error)>;

/// Per-call context handed to a handler.
struct call_context {
  principal who;
  std::string correlation;
  std::string idempotency_key;
  std::string idempotency_scope;  ///< where the result is filed (empty: not idempotent)
  reply_fn reply;
  fail_fn fail;
};

/// A handler receives the validated input (defaults filled in) and must call `reply` or `fail`.
using op_handler = std::function<void(call_context ctx, boost::json::object input)>;

struct operation {
  std::string name;           ///< stable name, also the MCP tool name
  std::string summary;        ///< one line for OpenAPI and MCP descriptions
  std::string method;         ///< "GET" or "POST"
  std::string path;           ///< REST route with `{param}` segments
  std::optional<std::vector<role>> roles;  ///< roles accepted besides admin; empty = any key;
                                           ///< nullopt = undeclared (refused at start-up)
  bool public_route = false;  ///< no authentication at all (only /health)
  int success_status = 200;
  std::string response_schema;  ///< name of the response component in the OpenAPI document
  std::vector<field_spec> input;
  op_handler handler;
  scope_kind scope{};
  /// Input fields that name the caller (e.g. agent_id): they must be the key's name.
  std::vector<std::string> identity_fields{};
  /// The result holds a secret shown once: never stored for Idempotency-Key replays.
  bool secret_result = false;
  /// Offered as an MCP tool only (spec §5.11, e.g. get_instructions): no REST route, no
  /// OpenAPI path. `method` and `path` stay empty.
  bool mcp_only = false;
  /// Headers added to its successful (2xx) REST responses (e.g. X-API-Version).
  std::vector<std::pair<std::string, std::string>> success_headers{};
  /// Non-empty: a 2xx body that is a JSON string goes out as-is with this Content-Type (the
  /// Prometheus text exposition of GET /metrics).
  std::string text_content_type{};
  /// Unknown input fields are refused with 422 instead of ignored (development aid,
  /// `tascaded --strict-fields`); set on every operation at start-up.
  bool strict_fields = false;
};

/// The same operation with its scope kind or identity fields declared.
inline operation with_scope(operation op, scope_kind scope) {
  op.scope = scope;
  return op;
}
inline operation mcp_only(operation op) {
  op.mcp_only = true;
  return op;
}
inline operation acting_as(operation op, std::vector<std::string> fields) {
  op.identity_fields = std::move(fields);
  return op;
}

}  // namespace tascade

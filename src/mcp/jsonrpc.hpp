#pragma once
/// JSON-RPC 2.0 framing for MCP: telling requests, notifications and responses apart, and
/// building results and error objects. Transport-neutral: every MCP transport uses it.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>

namespace tascade::mcp {

/// JSON-RPC error codes (and the two the MCP SDKs use for transport problems).
enum rpc_code : int {
  parse_error = -32700,
  invalid_request = -32600,
  method_not_found = -32601,
  invalid_params = -32602,
  internal_error = -32603,
  transport_error = -32000,
  session_not_found = -32001,
};

/// One incoming message, classified.
struct incoming {
  enum class kind { request, notification, response, invalid };
  kind what = kind::invalid;
  boost::json::value id;        ///< requests: string or integer; invalid: whatever was usable
  std::string method;           ///< requests and notifications
  boost::json::object params;   ///< `{}` when absent
  std::string problem;          ///< why the message is invalid
};

/// Classifies one parsed message (a batch array is `invalid`: batching left MCP in 2025-06-18).
incoming classify(const boost::json::value& message);

/// `{"jsonrpc":"2.0","id":id,"result":result}`.
boost::json::object rpc_result(const boost::json::value& id, boost::json::value result);
/// `{"jsonrpc":"2.0","id":id,"error":{code,message[,data]}}`; `data` is left out when null.
boost::json::object rpc_error(const boost::json::value& id, int code, std::string message,
                              boost::json::value data = nullptr);

}  // namespace tascade::mcp

#include "mcp/jsonrpc.hpp"

namespace tascade::mcp {

namespace json = boost::json;

incoming classify(const json::value& message) {
  incoming in;
  if (!message.is_object()) {
    in.problem = message.is_array() ? "batches are not supported; send one message at a time"
                                    : "a JSON-RPC message must be an object";
    return in;
  }
  const auto& m = message.get_object();
  auto* id = m.if_contains("id");
  // Keep a usable id for the error reply; null ids get a null id back.
  if (id && (id->is_string() || id->is_int64() || id->is_uint64()))
    in.id = *id;
  auto* version = m.if_contains("jsonrpc");
  if (!version || !version->is_string() || version->get_string() != "2.0") {
    in.problem = "\"jsonrpc\" must be \"2.0\"";
    return in;
  }
  if (id && !(id->is_string() || id->is_int64() || id->is_uint64())) {
    in.problem = "\"id\" must be a string or an integer";
    return in;
  }
  auto* method = m.if_contains("method");
  if (!method) {
    if (id && (m.contains("result") || m.contains("error"))) {
      in.what = incoming::kind::response;
      return in;
    }
    in.problem = "a request needs a \"method\"";
    return in;
  }
  if (!method->is_string()) {
    in.problem = "\"method\" must be a string";
    return in;
  }
  in.method = std::string(method->get_string());
  if (auto* params = m.if_contains("params")) {
    if (!params->is_object()) {
      in.problem = "\"params\" must be an object";
      return in;
    }
    in.params = params->get_object();
  }
  in.what = id ? incoming::kind::request : incoming::kind::notification;
  return in;
}

json::object rpc_result(const json::value& id, json::value result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json::object rpc_error(const json::value& id, int code, std::string message, json::value data) {
  json::object error{{"code", code}, {"message", std::move(message)}};
  if (!data.is_null())
    error["data"] = std::move(data);
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

}  // namespace tascade::mcp

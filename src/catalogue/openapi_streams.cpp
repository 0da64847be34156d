// The OpenAPI description of the routes served beside the catalogue (issue 16): MCP's
// Streamable HTTP endpoint and the event stream over SSE and WebSocket. Their transports live in
// src/mcp and src/http; this file only describes them, so /openapi.json lists every route.
// Each is marked x-tascade-transport: it is a way to reach the catalogue, not an operation of it,
// so it has no MCP tool.

#include "catalogue/openapi_schemas.hpp"

#include <boost/json.hpp>

namespace tascade::catalogue {

namespace json = boost::json;
using namespace schemas;

namespace {

json::object query_param(std::string_view name, std::string_view description) {
  return {{"name", name}, {"in", "query"}, {"required", false},
          {"description", description}, {"schema", str()}};
}

json::object header_param(std::string_view name, std::string_view description) {
  return {{"name", name}, {"in", "header"}, {"required", false},
          {"description", description}, {"schema", str()}};
}

json::object envelope(std::string_view description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", ref("ErrorEnvelope")}}}}}};
}

// The query both event streams read.
json::array stream_parameters() {
  return {
    query_param("after", "Global sequence to resume after (the Last-Event-ID header wins)."),
    query_param("project", "Only this project's events (also `project_id`); a project key "
                           "sees only its own project."),
    query_param("types", "Comma-separated event types to keep."),
    query_param("access_token", "The API key, for browser clients that cannot set headers."),
    header_param("Last-Event-ID", "A reconnecting EventSource's cursor.")};
}

json::object stream_errors(json::object responses) {
  responses["401"] = envelope("No key, or an invalid or revoked one");
  responses["403"] = envelope("Another project's events, or an Origin that is not allowed");
  responses["422"] = envelope("The cursor is not a global sequence number");
  return responses;
}

json::object mcp_path() {
  json::object rpc{{"type", "object"},
                   {"description", "A JSON-RPC 2.0 message (MCP 2025-11-25)."},
                   {"required", {"jsonrpc"}},
                   {"properties",
                    {{"jsonrpc", {{"const", "2.0"}}},
                     {"id", {{"type", json::array{"string", "integer"}}}},
                     {"method", str()},
                     {"params", object()}}}};
  auto session = header_param("Mcp-Session-Id",
                              "The session from the initialize answer (stateful clients).");
  auto version = header_param("MCP-Protocol-Version", "The negotiated protocol version.");
  json::object post{
    {"operationId", "mcp_message"},
    {"x-tascade-transport", true},
    {"summary", "MCP over Streamable HTTP: one JSON-RPC message per request (initialize, "
                "tools/list, tools/call, ping); a WebSocket upgrade on the same path carries "
                "the same messages as text frames."},
    {"parameters", json::array{session, version}},
    {"requestBody",
     {{"required", true}, {"content", {{"application/json", {{"schema", rpc}}}}}}},
    {"responses",
     {{"200", {{"description", "The JSON-RPC answer (or an SSE stream of it when asked)"},
               {"content", {{"application/json", {{"schema", object()}}},
                            {"text/event-stream", {{"schema", str()}}}}}}},
      {"202", {{"description", "A notification or response was accepted"}}},
      {"400", envelope("No session header where one is needed, or not JSON-RPC")},
      {"401", envelope("No key, or an invalid or revoked one")},
      {"403", envelope("An Origin that is not allowed")},
      {"404", {{"description", "Unknown or ended session"}}}}},
    {"security", json::array{{{"bearer", json::array{}}}}}};
  json::object del{
    {"operationId", "mcp_end_session"},
    {"x-tascade-transport", true},
    {"summary", "Ends an MCP session."},
    {"parameters", json::array{session}},
    {"responses",
     {{"204", {{"description", "Ended"}}},
      {"400", envelope("No Mcp-Session-Id header")},
      {"404", {{"description", "Unknown session"}}}}},
    {"security", json::array{{{"bearer", json::array{}}}}}};
  return {{"post", post}, {"delete", del}};
}

json::object events_path() {
  json::object get{
    {"operationId", "stream_events"},
    {"x-tascade-transport", true},
    {"summary", "Every committed event in global order as Server-Sent Events: catch-up from the "
                "log, then live. Each event: `id` the global sequence, `event` its type, `data` "
                "the event as a JSON line; `event: cutoff` ends a stream that fell too far "
                "behind."},
    {"parameters", stream_parameters()},
    {"responses", stream_errors({{"200", {{"description", "The stream"},
                                          {"content", {{"text/event-stream",
                                                        {{"schema", str()}}}}}}}})},
    {"security", json::array{{{"bearer", json::array{}}}}}};
  return {{"get", get}};
}

json::object events_ws_path() {
  json::object get{
    {"operationId", "stream_events_ws"},
    {"x-tascade-transport", true},
    {"summary", "The event stream over WebSocket: the same query, one event's JSON per text "
                "frame; a cutoff is `{\"type\":\"cutoff\",\"resume_after\":N}` then close 4000."},
    {"parameters", stream_parameters()},
    {"responses",
     stream_errors({{"101", {{"description", "Switching to WebSocket"}}},
                    {"400", envelope("Not a valid WebSocket upgrade")},
                    {"426", envelope("Another WebSocket version than 13")}})},
    {"security", json::array{{{"bearer", json::array{}}}}}};
  return {{"get", get}};
}

}  // namespace

json::object stream_paths() {
  return {{"/mcp", mcp_path()}, {"/v1/events", events_path()}, {"/v1/events/ws", events_ws_path()}};
}

}  // namespace tascade::catalogue

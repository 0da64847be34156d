#include "mcp/tool_results.hpp"

#include "catalogue/error_mapping.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <string_view>
#include <unordered_map>

namespace tascade::mcp {

namespace json = boost::json;

namespace {

// Messages the reference's tests assert verbatim (spec §15.2, ★).
const std::unordered_map<std::string_view, std::string_view>& fixed_messages() {
  static const std::unordered_map<std::string_view, std::string_view> table{
    {"PROJECT_NOT_FOUND", "Project not found"},
    {"SEQUENCE_CONFLICT", "Sequence already exists in this scope"},
    {"INVALID_CHECK_STATUS", "Artifact check_status is invalid"},
    {"INVALID_INTEGRATION_RESULT", "Integration attempt result is invalid"},
    {"GATE_DECISION_REQUIRED", "Gate decision is required before integration"},
    {"INVALID_CAPABILITIES", "Capabilities must be a string or list of strings"},
  };
  return table;
}

}  // namespace

json::object normalise(const caf::error& err) {
  auto code = code_of(err);
  if (code == errc::storage_failure)
    return {{"code", "DB_ERROR"}, {"message", "Database operation failed"}, {"retryable", false}};
  if (code == errc::none)
    return {{"code", "INVARIANT_VIOLATION"},
            {"message", "operation failed due to invalid state"},
            {"retryable", false}};
  auto envelope = catalogue::map_error(err).body.at("error").as_object();
  json::object out{{"code", envelope.at("code")},
                   {"message", envelope.at("message")},
                   {"retryable", envelope.at("retryable")}};
  auto fixed = fixed_messages().find(std::string_view(envelope.at("code").as_string()));
  if (fixed != fixed_messages().end())
    out["message"] = fixed->second;
  return out;
}

json::object success_result(const json::value& body) {
  json::object result;
  json::array content;
  if (body.is_string()) {
    content.push_back({{"type", "text"}, {"text", body.get_string()}});
  } else {
    content.push_back({{"type", "text"}, {"text", json::serialize(body)}});
    if (body.is_object())
      result["structuredContent"] = body;
  }
  result["content"] = std::move(content);
  result["isError"] = false;
  return result;
}

json::object error_result(const std::string& tool, const json::object& normalised,
                          const json::value& details) {
  json::object envelope{{"error", normalised}};
  auto text = "Error executing tool " + tool + ": " + json::serialize(envelope);
  json::object structured = normalised;
  if (!details.is_null())
    structured["details"] = details;
  return {{"content", json::array{{{"type", "text"}, {"text", text}}}},
          {"structuredContent", json::object{{"error", structured}}},
          {"isError", true}};
}

json::object error_result(const std::string& tool, const caf::error& err) {
  json::value details = code_of(err) == errc::none || code_of(err) == errc::storage_failure
                          ? json::value(nullptr)
                          : catalogue::map_error(err).body.at("error").as_object().at("details");
  return error_result(tool, normalise(err), details);
}

}  // namespace tascade::mcp

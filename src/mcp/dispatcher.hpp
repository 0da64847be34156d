#pragma once
/// The MCP server proper, shared by every transport: the lifecycle (initialize with version
/// negotiation, initialized, ping), the stateless 2026-07-28 requests (`server/discover`,
/// per-request `_meta`), `tools/list` and `tools/call`. A tool call takes the same path as a
/// REST request: validate the input, authorize the caller, run the operation's handler.

#include "catalogue/invoke.hpp"
#include "mcp/tool_table.hpp"
#include "tascade/operation.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace tascade::mcp {

/// Handshake revisions we speak, newest first; the first is what unknown requests get.
inline constexpr std::array<std::string_view, 4> handshake_versions{
  "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};
/// The stateless revision, selected by `_meta["io.modelcontextprotocol/protocolVersion"]`.
inline constexpr std::string_view stateless_version = "2026-07-28";
inline constexpr std::string_view meta_version_key = "io.modelcontextprotocol/protocolVersion";

/// Whether `version` is a handshake revision we speak.
bool handshake_supported(std::string_view version);

/// One MCP session's lifecycle state (a WebSocket or stdio connection, or an HTTP session).
class session_state {
 public:
  bool initialized() const;
  /// The negotiated version ("" before initialize).
  std::string version() const;

 private:
  friend class dispatcher;
  mutable std::mutex mutex_;
  bool initialize_seen_ = false;
  bool ready_ = false;  ///< notifications/initialized received
  std::string version_;
};

struct dispatcher_options {
  std::string server_name = "tascade";
  std::string server_version = "0.1.0";
  size_t page_size = 50;  ///< tools per `tools/list` page
  /// Where refused tool calls are recorded as `auth_denied` (unset: not recorded).
  catalogue::denial_fn record_denial{};
};

class dispatcher {
 public:
  /// `ops` must outlive the dispatcher.
  dispatcher(const std::vector<operation>& ops, dispatcher_options options = {});

  /// Called once with the reply, or with nullopt when the message gets none (notifications,
  /// responses). May be called on another thread (tool handlers answer from actors).
  using done_fn = std::function<void(std::optional<boost::json::object>)>;

  /// Handles one parsed message from `who` in `session`.
  void handle(session_state& session, const principal& who, const boost::json::value& message,
              done_fn done) const;

  const tool_table& tools() const { return tools_; }

 private:
  boost::json::object server_info() const;
  boost::json::object capabilities() const;
  void call_tool(const principal& who, const boost::json::object& params, bool stateless,
                 const boost::json::value& id, done_fn done) const;

  tool_table tools_;
  dispatcher_options options_;
};

}  // namespace tascade::mcp

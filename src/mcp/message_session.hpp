#pragma once
/// One MCP session over a transport that carries whole messages (a WebSocket): parses each
/// message's text, answers a revoked key or text that is not JSON with a JSON-RPC error, and
/// hands the rest to the dispatcher. The transport owns the connection; this owns the meaning.

#include "mcp/dispatcher.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <optional>
#include <string>

namespace tascade::mcp {

class message_session {
 public:
  /// Receives the text of a reply, or nullopt when the message gets none; called once per
  /// message, possibly on an actor's thread.
  using reply_fn = std::function<void(std::optional<std::string>)>;

  /// `mcp` must outlive the session.
  explicit message_session(const dispatcher& mcp) : mcp_(mcp) {}

  /// Handles one message's text from `who` (an error when the key stopped working since the
  /// connection opened). Returns false when the session must end once `reply` has been sent.
  bool on_text(const caf::expected<principal>& who, const std::string& text, reply_fn reply);

 private:
  const dispatcher& mcp_;
  session_state state_;
};

}  // namespace tascade::mcp

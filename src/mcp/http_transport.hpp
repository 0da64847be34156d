#pragma once
/// MCP Streamable HTTP at `/mcp`: one JSON-RPC message per POST, answered as JSON (or as an SSE
/// stream when the client asks for it first), 202 for notifications, sessions named by
/// `Mcp-Session-Id`, `MCP-Protocol-Version` checked, `Origin` checked against an allow-list.

#include "mcp/dispatcher.hpp"

#include <boost/beast/http.hpp>

#include <caf/expected.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace tascade::mcp {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

struct http_transport_options {
  /// Whether a request's `Origin` may call us (unset: any).
  std::function<bool(std::string_view origin)> origin_allowed;
  std::chrono::seconds session_idle{3600};  ///< sessions unused this long are forgotten
  size_t max_sessions = 10000;
};

class http_transport {
 public:
  /// Who sent a request (from its Authorization header or however the host reads keys).
  using authenticate_fn = std::function<caf::expected<principal>(const http_request&)>;
  /// `authenticate` unset: every caller is the anonymous administrator (development mode).
  http_transport(const dispatcher& mcp, authenticate_fn authenticate,
                 http_transport_options options);

  /// Answers one request to `/mcp`.
  void handle(const http_request& req, std::function<void(http_response)> respond);

  size_t sessions() const;

 private:
  struct session {
    session_state state;
    std::string key_id;
    std::chrono::steady_clock::time_point used;
  };
  std::shared_ptr<session> find(const std::string& id, const std::string& key_id);
  std::string open(std::shared_ptr<session> s);
  void close(const std::string& id, const std::string& key_id);

  const dispatcher& mcp_;
  authenticate_fn authenticate_;
  http_transport_options options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<session>> sessions_;
};

}  // namespace tascade::mcp

#pragma once
/// The routes beside the catalogue: MCP at `/mcp` (WebSocket upgrade or Streamable HTTP) and
/// the event stream at `/v1/events` (SSE) and `/v1/events/ws` (WebSocket). MCP is plugged in
/// through `mcp_routes` (this folder does not know it); the event streams authenticate and
/// authorise like the catalogue.

#include "actors/denial_window.hpp"
#include "events/event_log.hpp"
#include "events/subscription_hub.hpp"
#include "http/extra_routes.hpp"
#include "http/stream_sessions.hpp"

#include <caf/expected.hpp>

#include <functional>

namespace tascade::http {

/// MCP as the routes host it: its Streamable HTTP handler and its WebSocket protocol.
struct mcp_routes {
  /// Answers one request to `/mcp` that is not a WebSocket upgrade (respond: once, any thread).
  std::function<void(const raw_request&, std::function<void(raw_response)>)> streamable_http;
  message_protocol websocket;
};

struct stream_routes_options {
  std::vector<std::string> allowed_origins;  ///< besides loopback origins
  size_t message_limit = 1 << 20;            ///< largest WebSocket message
  /// Where a refused subscription (another project's events) is recorded as `auth_denied`,
  /// like a refused catalogue call (unset: not recorded).
  std::function<void(denial)> record_denial{};
};

class stream_routes {
 public:
  using authenticate_fn = std::function<caf::expected<principal>(std::string_view)>;
  /// Everything passed in must outlive this object, which must outlive the server using it.
  stream_routes(mcp_routes mcp, const event_log& log, subscription_hub& events,
                authenticate_fn authenticate, stream_routes_options options);

  /// The hooks for `server_options::extra`.
  extra_routes hooks();

 private:
  bool take_over(raw_request& req, boost::beast::tcp_stream& stream);
  /// The principal of `req`, or the refusal to send.
  caf::expected<principal> who(const raw_request& req, raw_response& refusal) const;
  /// The feed `req` asks for, or false with `refusal` set (bad cursor 422, other project 403).
  bool event_source(const raw_request& req, const principal& who, feed_source& out,
                    raw_response& refusal) const;

  mcp_routes mcp_;
  const event_log& log_;
  subscription_hub& events_;
  authenticate_fn authenticate_;
  stream_routes_options options_;
};

}  // namespace tascade::http

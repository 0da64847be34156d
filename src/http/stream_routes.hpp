#pragma once
/// The routes beside the catalogue: MCP at `/mcp` (WebSocket upgrade or Streamable HTTP) and
/// the event stream at `/v1/events` (SSE) and `/v1/events/ws` (WebSocket). Owns the MCP
/// dispatcher and the HTTP sessions; authenticates and authorises like the catalogue.

#include "events/event_log.hpp"
#include "events/subscription_hub.hpp"
#include "http/extra_routes.hpp"
#include "mcp/dispatcher.hpp"
#include "http/stream_sessions.hpp"
#include "mcp/http_transport.hpp"

#include <caf/expected.hpp>

namespace tascade::http {

struct stream_routes_options {
  std::vector<std::string> allowed_origins;  ///< besides loopback origins
  size_t message_limit = 1 << 20;            ///< largest WebSocket message
};

class stream_routes {
 public:
  using authenticate_fn = std::function<caf::expected<principal>(std::string_view)>;
  /// Everything passed in must outlive this object, which must outlive the server using it.
  stream_routes(const std::vector<operation>& ops, const event_log& log, subscription_hub& events,
                authenticate_fn authenticate, stream_routes_options options);

  /// The hooks for `server_options::extra`.
  extra_routes hooks();

  const mcp::dispatcher& mcp() const { return mcp_; }

 private:
  bool take_over(raw_request& req, boost::beast::tcp_stream& stream);
  /// The principal of `req`, or the refusal to send.
  caf::expected<principal> who(const raw_request& req, raw_response& refusal) const;
  /// The feed `req` asks for, or false with `refusal` set (bad cursor 422, other project 403).
  bool event_source(const raw_request& req, const principal& who, feed_source& out,
                    raw_response& refusal) const;

  mcp::dispatcher mcp_;
  mcp::http_transport http_;
  const event_log& log_;
  subscription_hub& events_;
  authenticate_fn authenticate_;
  stream_routes_options options_;
};

}  // namespace tascade::http

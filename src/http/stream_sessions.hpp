#pragma once
/// Connections that outlive one request: a message protocol (MCP) over WebSocket, and the
/// event stream over WebSocket and Server-Sent Events. Each starts from an accepted, authorised request and owns
/// its connection until it ends.

#include "events/event_feed.hpp"
#include "http/extra_routes.hpp"
#include "tascade/operation.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tascade::http {

/// Who the connection's key is now: checked again for every message, so a key revoked
/// mid-session stops working at once (errors: AUTH_INVALID and the like).
using reauthenticate_fn = std::function<caf::expected<principal>()>;

/// Receives the text of one reply, or nullopt for none; callable from any thread.
using text_reply_fn = std::function<void(std::optional<std::string>)>;
/// Handles one text message of a connection from `who` (an error: the key stopped working),
/// answering through the reply function. Returns false to end the connection once the replies
/// already sent are written.
using text_handler =
  std::function<bool(const caf::expected<principal>& who, std::string text, text_reply_fn)>;

/// A protocol spoken in text messages over WebSocket (MCP), hosted here without this folder
/// knowing it: the composition root plugs it in.
struct message_protocol {
  std::string subprotocol;             ///< echoed in Sec-WebSocket-Protocol when the client asks
  std::function<text_handler()> open;  ///< one connection's handler (its session state)
};

/// Upgrades to WebSocket and serves one connection of `protocol`: one message per text frame,
/// replies in the order they are ready. `protocol` must outlive the connection.
void start_message_websocket(raw_request req, boost::beast::tcp_stream stream,
                             const message_protocol& protocol, reauthenticate_fn who,
                             size_t message_limit);

/// What an event stream needs to start its feed.
struct feed_source {
  const event_log* log = nullptr;
  subscription_hub* hub = nullptr;
  event_filter filter;
  global_seq after = 0;
  /// Checked before each batch: a stream whose key was revoked ends (unset: never).
  std::function<bool()> still_allowed;
};

/// Upgrades to WebSocket and sends every event after the cursor as one text frame (its JSON
/// line). A subscriber cut off for being slow gets a last frame
/// `{"type":"cutoff","resume_after":N}` and a close with code 4000 naming the same cursor.
void start_event_websocket(raw_request req, boost::beast::tcp_stream stream, feed_source source);

/// Answers with `text/event-stream` and sends every event after the cursor as
/// `id: <seq>`, `event: <type>`, `data: <JSON line>`. A subscriber cut off for being slow gets a
/// last event `cutoff` whose data is `{"resume_after":N}`, then the connection closes.
void start_event_sse(raw_request req, boost::beast::tcp_stream stream, feed_source source);

/// Writes `res` on a connection we took over, then closes it (refused upgrades and streams).
void reply_and_close(boost::beast::tcp_stream stream, raw_response res);

}  // namespace tascade::http

// WebSocket connections: message protocols (MCP) and event subscribers.

#include "http/stream_sessions.hpp"
#include "tascade/errc.hpp"
#include "tascade/text_list.hpp"

#include <boost/asio.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <deque>

namespace tascade::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;

namespace {

using ws_stream = websocket::stream<beast::tcp_stream>;

// Whether the client asked for subprotocol `name` in Sec-WebSocket-Protocol.
bool asks_subprotocol(const raw_request& req, std::string_view name) {
  auto h = req.find(beast::http::field::sec_websocket_protocol);
  if (h == req.end())
    return false;
  for (auto& item : split_list(h->value()))
    if (item == name)
      return true;
  return false;
}

void prepare(ws_stream& ws, std::string subprotocol) {
  beast::get_lowest_layer(ws).expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws.set_option(websocket::stream_base::decorator(
    [subprotocol = std::move(subprotocol)](websocket::response_type& res) {
      res.set(beast::http::field::server, "tascade");
      if (!subprotocol.empty())
        res.set(beast::http::field::sec_websocket_protocol, subprotocol);
    }));
}

// ---- message protocols (MCP) --------------------------------------------------------------

class message_socket : public std::enable_shared_from_this<message_socket> {
 public:
  message_socket(beast::tcp_stream stream, text_handler handler, reauthenticate_fn who)
      : ws_(std::move(stream)), handler_(std::move(handler)), who_(std::move(who)) {}

  void run(raw_request req, const message_protocol& protocol, size_t message_limit) {
    prepare(ws_, asks_subprotocol(req, protocol.subprotocol) ? protocol.subprotocol : "");
    ws_.read_message_max(message_limit);
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) {
      if (!ec)
        self->read();
    });
  }

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    if (ec)
      return;  // closed, timed out or broken: the session ends with the socket
    auto text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    auto self = shared_from_this();
    // Replies may come from an actor's thread: hop back onto this connection's strand.
    bool go_on = handler_(who_(), std::move(text), [self](std::optional<std::string> reply) {
      if (!reply)
        return;
      net::post(self->ws_.get_executor(),
                [self, text = std::move(*reply)]() mutable { self->send(std::move(text)); });
    });
    if (!go_on) {
      closing_ = true;  // closes once the replies already posted are written
      return;
    }
    read();
  }

  void send(std::string text) {
    outbox_.push_back(std::move(text));
    if (!writing_)
      write_next();
  }

  void write_next() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(outbox_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->outbox_.pop_front();
                      if (ec || self->outbox_.empty()) {
                        self->writing_ = false;
                        if (!ec && self->closing_)
                          self->ws_.async_close(websocket::close_code::policy_error,
                                                [self](beast::error_code) {});
                        return;
                      }
                      self->write_next();
                    });
  }

  ws_stream ws_;
  text_handler handler_;
  reauthenticate_fn who_;
  bool closing_ = false;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
};

// ---- events -------------------------------------------------------------------------------

class event_socket : public std::enable_shared_from_this<event_socket> {
 public:
  explicit event_socket(beast::tcp_stream stream) : ws_(std::move(stream)) {}

  void run(raw_request req, feed_source source) {
    std::weak_ptr<event_socket> weak = shared_from_this();
    auto executor = ws_.get_executor();
    still_allowed_ = std::move(source.still_allowed);
    feed_ = std::make_unique<event_feed>(*source.log, *source.hub, std::move(source.filter),
                                         source.after, [weak, executor] {
                                           net::post(executor, [weak] {
                                             if (auto self = weak.lock())
                                               self->pump();
                                           });
                                         });
    prepare(ws_, "");
    // A small send buffer: a stalled subscriber holds little memory and falls behind soon.
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(
      net::socket_base::send_buffer_size(64 * 1024), ignored);
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) {
      if (ec)
        return;
      self->open_ = true;
      self->listen();
      self->pump();
    });
  }

 private:
  // Reads (and ignores) what the client sends, so pings and the close handshake are answered.
  void listen() {
    ws_.async_read(incoming_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        self->open_ = false;
        return;
      }
      self->incoming_.consume(self->incoming_.size());
      self->listen();
    });
  }

  void pump() {
    if (!open_ || writing_)
      return;
    switch (feed_->next(batch_, 256)) {
      case event_feed::status::events:
        if (still_allowed_ && !still_allowed_())
          return close(uint16_t(websocket::close_code::policy_error), "unauthorized");
        at_ = 0;
        return write_batch();
      case event_feed::status::idle:
        return;  // the feed wakes us
      case event_feed::status::cut_off: {
        auto cursor = feed_->cursor();
        closing_ = json::serialize(json::object{{"type", "cutoff"},
                                                {"reason", "slow_subscriber"},
                                                {"resume_after", cursor}});
        writing_ = true;
        ws_.text(true);
        return ws_.async_write(net::buffer(closing_), [self = shared_from_this(), cursor](
                                                        beast::error_code ec, size_t) {
          if (ec)
            return;
          self->close(4000, "slow subscriber; resume after=" + std::to_string(cursor));
        });
      }
      case event_feed::status::failed:
        return close(uint16_t(websocket::close_code::internal_error), "cannot read the event log");
    }
  }

  void write_batch() {
    if (at_ >= batch_.size()) {
      writing_ = false;
      return pump();
    }
    writing_ = true;
    ws_.text(true);
    auto event = batch_[at_++];
    ws_.async_write(net::buffer(event->json),
                    [self = shared_from_this(), event](beast::error_code ec, size_t) {
                      if (ec) {
                        self->open_ = false;
                        return;
                      }
                      self->write_batch();
                    });
  }

  void close(uint16_t code, std::string reason) {
    open_ = false;
    writing_ = true;
    websocket::close_reason why;
    why.code = code;
    why.reason = reason.substr(0, 120);  // a close frame's reason has at most 123 bytes
    ws_.async_close(why, [self = shared_from_this()](beast::error_code) {});
  }

  ws_stream ws_;
  std::unique_ptr<event_feed> feed_;
  std::function<bool()> still_allowed_;
  beast::flat_buffer incoming_;
  std::vector<event_ptr> batch_;
  size_t at_ = 0;
  std::string closing_;
  bool open_ = false;
  bool writing_ = false;
};

}  // namespace

void start_message_websocket(raw_request req, beast::tcp_stream stream,
                             const message_protocol& protocol, reauthenticate_fn who,
                             size_t message_limit) {
  std::make_shared<message_socket>(std::move(stream), protocol.open(), std::move(who))
    ->run(std::move(req), protocol, message_limit);
}

void start_event_websocket(raw_request req, beast::tcp_stream stream, feed_source source) {
  std::make_shared<event_socket>(std::move(stream))->run(std::move(req), std::move(source));
}

}  // namespace tascade::http

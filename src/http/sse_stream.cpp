// The event stream as Server-Sent Events: a close-delimited `text/event-stream` response.

#include "http/stream_sessions.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

#include <chrono>

namespace tascade::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace json = boost::json;

namespace {

// A comment line this often keeps proxies from dropping an idle stream, and finds dead clients.
constexpr std::chrono::seconds keepalive_every{15};
// A write that makes no progress this long means the client has stopped reading.
constexpr std::chrono::seconds write_deadline{30};
// Bytes of socket send buffer: a stalled client holds little memory, and falls behind soon.
constexpr int send_buffer_bytes = 64 * 1024;
// Woken by new events, a session waits this long before reading them, so the commits of a busy
// moment reach each subscriber in one write rather than one write per commit (with 100
// subscribers, a write per commit and subscriber cost writers a third of their throughput).
constexpr std::chrono::milliseconds gather_window{5};

class sse_session : public std::enable_shared_from_this<sse_session> {
 public:
  explicit sse_session(beast::tcp_stream stream)
      : stream_(std::move(stream)), timer_(stream_.get_executor()) {}

  void run(feed_source source) {
    std::weak_ptr<sse_session> weak = shared_from_this();
    auto executor = stream_.get_executor();
    still_allowed_ = std::move(source.still_allowed);
    feed_ = std::make_unique<event_feed>(*source.log, *source.hub, std::move(source.filter),
                                         source.after, [weak, executor] {
                                           net::post(executor, [weak] {
                                             auto self = weak.lock();
                                             if (self && !self->gathering_)
                                               self->timer_.cancel();
                                           });
                                         });
    beast::error_code ec;
    stream_.socket().set_option(net::socket_base::send_buffer_size(send_buffer_bytes), ec);
    out_ =
      "HTTP/1.1 200 OK\r\nServer: tascade\r\nContent-Type: text/event-stream\r\n"
      "Cache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\n\r\n"
      "retry: 2000\n\n";
    watch_client();
    write([](sse_session& self) { self.pump(); });
  }

 private:
  // The client sends nothing after its request: a read completes only when it goes away.
  void watch_client() {
    stream_.socket().async_read_some(
      net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) {
          self->done_ = true;
          self->timer_.cancel();
          return;
        }
        self->watch_client();
      });
  }

  template <class Next>
  void write(Next next) {
    stream_.expires_after(write_deadline);
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this(), next](beast::error_code ec, size_t) {
                       self->stream_.expires_never();
                       if (ec || self->done_)
                         return self->finish();
                       next(*self);
                     });
  }

  void pump() {
    if (done_)
      return finish();
    switch (feed_->next(batch_, 256)) {
      case event_feed::status::events:
        if (still_allowed_ && !still_allowed_()) {
          out_ = "event: error\ndata: {\"reason\":\"unauthorized\"}\n\n";
          return write([](sse_session& self) { self.finish(); });
        }
        out_.clear();
        for (auto& e : batch_) {
          out_ += "id: " + std::to_string(e->seq) + "\nevent: " + e->type + "\ndata: ";
          out_ += e->json;
          out_ += "\n\n";
        }
        return write([](sse_session& self) { self.pump(); });
      case event_feed::status::idle:
        timer_.expires_after(keepalive_every);
        return timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
          if (self->done_)
            return self->finish();
          if (ec)  // woken: events arrived
            return self->gather();
          self->out_ = ": keepalive\n\n";
          self->write([](sse_session& s) { s.pump(); });
        });
      case event_feed::status::cut_off:
        out_ = "event: cutoff\ndata: " +
               json::serialize(json::object{{"reason", "slow_subscriber"},
                                            {"resume_after", feed_->cursor()}}) +
               "\n\n";
        return write([](sse_session& self) { self.finish(); });
      case event_feed::status::failed:
        out_ = "event: error\ndata: {\"reason\":\"cannot read the event log\"}\n\n";
        return write([](sse_session& self) { self.finish(); });
    }
  }

  // Lets the events of the next few milliseconds join the ones that woke the session.
  void gather() {
    gathering_ = true;
    timer_.expires_after(gather_window);
    timer_.async_wait([self = shared_from_this()](beast::error_code) {
      self->gathering_ = false;
      if (self->done_)
        return self->finish();
      self->pump();
    });
  }

  void finish() {
    done_ = true;
    timer_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  net::steady_timer timer_;
  std::unique_ptr<event_feed> feed_;
  std::function<bool()> still_allowed_;
  std::vector<event_ptr> batch_;
  std::string out_;
  std::array<char, 256> scratch_{};
  bool done_ = false;
  bool gathering_ = false;  ///< in gather(): new events need not wake the session again
};

}  // namespace

void start_event_sse(raw_request, beast::tcp_stream stream, feed_source source) {
  std::make_shared<sse_session>(std::move(stream))->run(std::move(source));
}

void reply_and_close(beast::tcp_stream stream, raw_response res) {
  struct pending {
    beast::tcp_stream stream;
    raw_response res;
  };
  auto p = std::make_shared<pending>(pending{std::move(stream), std::move(res)});
  p->res.keep_alive(false);
  p->stream.expires_after(std::chrono::seconds(10));
  beast::http::async_write(p->stream, p->res, [p](beast::error_code, size_t) {
    beast::error_code ec;
    p->stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  });
}

}  // namespace tascade::http

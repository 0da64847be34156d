#include "http/server.hpp"

#include "catalogue/error_mapping.hpp"
#include "catalogue/invoke.hpp"
#include "catalogue/schema.hpp"
#include "http/request_errors.hpp"
#include "http/request_input.hpp"
#include "http/response_bytes.hpp"
#include "tascade/errc.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <thread>

namespace tascade::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using catalogue::idempotency_guard;
using catalogue::input_problem;

namespace {

using response = bhttp::response<bhttp::string_body>;

// `app;dur=<milliseconds with three decimals>`, written without a format parser: it is on
// every response.
std::string server_timing(std::chrono::steady_clock::duration spent) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(spent).count();
  char buf[40] = "app;dur=";
  auto [end, ec] = std::to_chars(buf + 8, buf + sizeof buf - 4, us / 1000);
  (void)ec;  // a 64-bit count of milliseconds always fits
  *end++ = '.';
  auto frac = us % 1000;
  *end++ = char('0' + frac / 100);
  *end++ = char('0' + frac / 10 % 10);
  *end++ = char('0' + frac % 10);
  return std::string(buf, end);
}

}  // namespace

// One connection: read a request, answer it, repeat while the client keeps it alive.
class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, const router& routes, const server_options& options,
          idempotency_guard& idempotency)
      : stream_(std::move(socket)), routes_(routes), options_(options), idempotency_(idempotency) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    stream_.expires_after(std::chrono::seconds(options_.idle_timeout_seconds));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->on_read(ec);
                      });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      json::object body{{"error",
                         {{"code", "PAYLOAD_TOO_LARGE"},
                          {"message", "request body exceeds " +
                                        std::to_string(options_.body_limit) + " bytes"},
                          {"retryable", false},
                          {"details", nullptr}}}};
      return write_bytes(json_response_bytes(11, false, 413, json::serialize(body)), true);
    }
    if (ec) {
      // A malformed request gets an answer before the close (RFC 9112); a peer that left or
      // went quiet gets nothing.
      auto pending = buffer_.data();
      if (auto refusal = refusal_for(
            ec, {static_cast<const char*>(pending.data()), pending.size()}))
        return refuse(*refusal);
      return close();
    }
    if (auto refusal = refusal_for(parser_->get()))
      return refuse(*refusal);
    handle(parser_->release());
  }

  // Answers an unparsable request and closes, reading (and dropping) what the client still
  // sends for a moment, so the answer is not lost to a reset.
  void refuse(const request_refusal& refusal) {
    spdlog::debug("malformed request refused with {}: {}", refusal.status, refusal.body);
    drain_on_close_ = true;
    write_bytes(json_response_bytes(11, false, refusal.status, refusal.body), true);
  }

  void drain(std::shared_ptr<std::array<char, 16384>> scratch, size_t drained) {
    stream_.async_read_some(net::buffer(*scratch), [self = shared_from_this(), scratch,
                                                    drained](beast::error_code ec, size_t n) {
      if (!ec && drained + n < (size_t(1) << 20))
        self->drain(scratch, drained + n);
    });
  }

  void handle(bhttp::request<bhttp::string_body> req) {
    started_ = std::chrono::steady_clock::now();
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    method_ = std::string(req.method_string());
    target_ = std::string(req.target());
    if (take_extra_route(req))
      return;
    auto target = std::string_view(target_);
    auto qpos = target.find('?');
    auto path = target.substr(0, qpos);
    auto match = routes_.match(method_, path);
    if (!match.op) {
      if (match.method_mismatch)
        return respond(405, json::object{{"detail", "Method Not Allowed"}});
      return respond(404, json::object{{"detail", "Not Found"}});
    }
    const auto& op = *match.op;

    // The input: body fields, then query and path parameters typed by the schema.
    auto assembled = assemble_input(match, target, req.body());
    if (assembled.refusal)
      return respond(422, *assembled.refusal);
    auto& input = assembled.input;
    auto& problems = assembled.problems;

    // Authentication comes after a body that is not JSON at all (422), before validation.
    principal who;
    if (!op.public_route && options_.authenticate) {
      auto header = req.find(bhttp::field::authorization);
      auto authenticated = options_.authenticate(
        header == req.end() ? std::string_view{} : std::string_view(header->value()));
      if (!authenticated) {
        auto mapped = catalogue::map_error(authenticated.error());
        return respond(mapped.status, mapped.body);
      }
      who = std::move(*authenticated);
    }

    catalogue::invocation context;
    context.problems = std::move(problems);
    context.record_denial = options_.record_denial;
    if (auto id = req.find("X-Request-Id"); id != req.end())
      context.correlation = std::string(id->value());
    auto key = req.find("Idempotency-Key");
    if (key != req.end() && op.method == "POST" && options_.idempotency.load) {
      context.idempotency_key = std::string(key->value());
      context.idempotency = &idempotency_;
      context.fingerprint = method_ + ' ' + target_ + '\n' + req.body();
    }
    // Outcomes may come from an actor's thread: hop back onto this connection's strand.
    catalogue::invoke(op, std::move(who), std::move(input), std::move(context),
                      [self = shared_from_this(), op = &op](catalogue::outcome out) {
                        net::post(self->stream_.get_executor(),
                                  [self, op, out = std::move(out)] {
                                    self->respond(out.status, out.body, out.replayed, op);
                                  });
                      });
  }

  // MCP and the event streams: answered beside the catalogue, or the connection is theirs.
  bool take_extra_route(bhttp::request<bhttp::string_body>& req) {
    auto path = std::string_view(target_).substr(0, target_.find('?'));
    if (!options_.extra.owns || !options_.extra.owns(path))
      return false;
    if (options_.extra.take_over && options_.extra.take_over(req, stream_, buffer_))
      return true;
    if (!options_.extra.answer)
      return false;
    auto self = shared_from_this();
    return options_.extra.answer(req, [self](response res) {
      net::post(self->stream_.get_executor(),
                [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
    });
  }

  void respond(int status, const json::value& body, bool replayed = false,
               const operation* op = nullptr) {
    auto spent = std::chrono::steady_clock::now() - started_;
    spdlog::debug("{} {} -> {} ({:.2f} ms{})", method_, target_, status,
                  std::chrono::duration<double, std::milli>(spent).count(),
                  replayed ? ", replayed" : "");
    // The server's own time for the request (parsed request to response ready), so clients
    // and benchmarks can tell it from the network and their own queueing.
    auto timing = server_timing(spent);
    header_pairs extra{{"Server-Timing", timing}};
    if (status == 401)
      extra.emplace_back("WWW-Authenticate", "Bearer");
    if (replayed)
      extra.emplace_back("Idempotent-Replayed", "true");
    bool success = op && status >= 200 && status < 300;
    if (success)
      for (auto& [name, value] : op->success_headers)
        extra.emplace_back(name, value);
    if (success && !op->text_content_type.empty() && body.is_string()) {
      auto& text = body.get_string();
      return write_bytes(json_response_bytes(version_, keep_alive_, status,
                                             std::string_view(text.data(), text.size()), extra,
                                             op->text_content_type),
                         !keep_alive_);
    }
    write_bytes(json_response_bytes(version_, keep_alive_, status, json::serialize(body), extra),
                !keep_alive_);
  }

  // Sends a whole response, then reads the next request or closes.
  void write_bytes(std::string text, bool close_after) {
    auto bytes = std::make_shared<std::string>(std::move(text));
    net::async_write(stream_, net::buffer(*bytes),
                     [self = shared_from_this(), bytes, close_after](beast::error_code ec,
                                                                     size_t) {
                       if (ec || close_after)
                         return self->close();
                       self->read();
                     });
  }

  void send(response res) {
    auto shared = std::make_shared<response>(std::move(res));
    bool close_after = !shared->keep_alive();
    bhttp::async_write(stream_, *shared,
                       [self = shared_from_this(), shared, close_after](beast::error_code ec,
                                                                        size_t) {
                         if (ec || close_after)
                           return self->close();
                         self->read();
                       });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (drain_on_close_ && !ec) {
      stream_.expires_after(std::chrono::seconds(2));
      drain(std::make_shared<std::array<char, 16384>>(), 0);
    }
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const router& routes_;
  const server_options& options_;
  idempotency_guard& idempotency_;
  std::chrono::steady_clock::time_point started_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  std::string method_;
  std::string target_;
  bool drain_on_close_ = false;  ///< after a refusal: read what the client still sends
};

struct server::impl {
  impl(const std::vector<operation>& ops, server_options opts)
      : routes(ops),
        options(std::move(opts)),
        idempotency(options.idempotency),
        ioc(int(options.io_threads)),
        acceptor(ioc) {}

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (ec != net::error::operation_aborted)
          spdlog::warn("accept failed: {}", ec.message());
        if (!acceptor.is_open())
          return;
      } else {
        std::make_shared<session>(std::move(s), routes, options, idempotency)->start();
      }
      accept();
    });
  }

  router routes;
  server_options options;
  idempotency_guard idempotency;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  uint16_t bound_port = 0;
};

server::server(const std::vector<operation>& ops, server_options options)
    : impl_(std::make_unique<impl>(ops, std::move(options))) {}

server::~server() { stop(); }

caf::expected<void> server::start() {
  auto& i = *impl_;
  beast::error_code ec;
  auto address = net::ip::make_address(i.options.host, ec);
  if (ec)
    return make_error(errc::unavailable, "bad host '" + i.options.host + "': " + ec.message());
  tcp::endpoint endpoint{address, i.options.port};
  i.acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    i.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    i.acceptor.bind(endpoint, ec);
  if (!ec)
    i.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error(errc::unavailable, "cannot listen on " + i.options.host + ":" +
                                           std::to_string(i.options.port) + ": " + ec.message());
  i.bound_port = i.acceptor.local_endpoint().port();
  i.accept();
  for (unsigned n = 0; n < std::max(1u, i.options.io_threads); ++n)
    i.threads.emplace_back([&i] { i.ioc.run(); });
  return {};
}

uint16_t server::port() const { return impl_->bound_port; }

void server::stop() {
  auto& i = *impl_;
  if (i.threads.empty())
    return;
  net::post(i.ioc, [&i] {
    beast::error_code ec;
    i.acceptor.close(ec);
  });
  i.ioc.stop();
  for (auto& t : i.threads)
    t.join();
  i.threads.clear();
}

}  // namespace tascade::http

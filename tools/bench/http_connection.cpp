#include "tools/bench/http_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include <cstdlib>

namespace tascade::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;

http_connection::http_connection(asio::io_context& io, std::string host, uint16_t port)
    : io_(io), host_(std::move(host)), port_(port) {}

asio::awaitable<bool> http_connection::ensure_open() {
  if (stream_ && stream_->socket().is_open())
    co_return true;
  stream_.emplace(io_);
  buffer_.clear();
  asio::ip::tcp::endpoint ep(asio::ip::make_address(host_), port_);
  auto [ec] = co_await stream_->async_connect(ep, asio::as_tuple(use_awaitable));
  if (ec) {
    stream_.reset();
    co_return false;
  }
  stream_->socket().set_option(asio::ip::tcp::no_delay(true));
  co_return true;
}

namespace {

// The `dur` of a `Server-Timing: app;dur=<ms>` header, or -1.
double server_time(const http::response<http::string_body>& res) {
  auto it = res.find("Server-Timing");
  if (it == res.end())
    return -1;
  auto text = std::string(it->value());
  auto at = text.find("dur=");
  return at == std::string::npos ? -1 : std::atof(text.c_str() + at + 4);
}

}  // namespace

asio::awaitable<reply> http_connection::request(const char* method, const std::string& target,
                                                const std::string& body) {
  if (!co_await ensure_open())
    co_return reply{};
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, host_);
  req.keep_alive(true);
  if (!bearer_.empty())
    req.set(http::field::authorization, "Bearer " + bearer_);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();
  auto [wec, written] = co_await http::async_write(*stream_, req, asio::as_tuple(use_awaitable));
  (void)written;
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);  // a whole project's graph can be large
  beast::error_code rec;
  if (!wec) {
    auto [ec, read] = co_await http::async_read(*stream_, buffer_, parser,
                                                asio::as_tuple(use_awaitable));
    (void)read;
    rec = ec;
  }
  if (wec || rec) {
    beast::error_code ignored;
    stream_->socket().close(ignored);
    stream_.reset();
    co_return reply{};
  }
  auto res = parser.release();
  if (!res.keep_alive()) {
    beast::error_code ignored;
    stream_->socket().close(ignored);
  }
  co_return reply{int(res.result_int()), std::move(res.body()), server_time(res)};
}

reply blocking_request(const std::string& host, uint16_t port, const char* method,
                       const std::string& target, const std::string& body,
                       const std::string& bearer) {
  asio::io_context io;
  http_connection c(io, host, port);
  c.bearer(bearer);
  reply out;
  asio::co_spawn(
    io, [&]() -> asio::awaitable<void> { out = co_await c.request(method, target, body); },
    asio::detached);
  io.run();
  return out;
}

}  // namespace tascade::bench

#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cctype>
#include <stdexcept>

namespace tascade::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void fail(std::string_view what, const beast::error_code& ec) {
  throw std::runtime_error(std::string(what) + ": " + ec.message());
}

// Bodies larger than this are a test bug, not something to read to the end.
constexpr uint64_t response_body_limit = 64u << 20;

http_response to_response(const bhttp::response<bhttp::string_body>& msg) {
  http_response out;
  out.status = int(msg.result_int());
  out.body = msg.body();
  out.keep_alive = msg.keep_alive();
  for (auto& field : msg)
    out.headers[lower(field.name_string())] = std::string(field.value());
  return out;
}

void connect(tcp::socket& socket, net::io_context& ioc, const std::string& host, uint16_t port) {
  beast::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec)
    fail("bad host " + host, ec);
  socket.connect(tcp::endpoint(address, port), ec);
  if (ec)
    fail("cannot connect to " + host + ":" + std::to_string(port), ec);
  (void)ioc;
}

}  // namespace

boost::json::value http_response::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec)
    throw std::runtime_error("HTTP " + std::to_string(status) + " body is not JSON (" +
                             ec.message() + "): " + body);
  return v;
}

std::string http_response::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string{} : it->second;
}

struct http_client::connection {
  net::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
};

http_client::http_client(uint16_t port, std::string host) : host_(std::move(host)), port_(port) {}
http_client::~http_client() { close(); }
http_client::http_client(http_client&&) noexcept = default;
http_client& http_client::operator=(http_client&&) noexcept = default;

void http_client::ensure_connected() {
  if (conn_)
    return;
  auto c = std::make_unique<connection>();
  connect(c->socket, c->ioc, host_, port_);
  conn_ = std::move(c);
  ++connections_opened_;
}

void http_client::close() {
  if (!conn_)
    return;
  beast::error_code ec;
  conn_->socket.shutdown(tcp::socket::shutdown_both, ec);
  conn_->socket.close(ec);
  conn_.reset();
}

http_response http_client::get(std::string_view target, const header_list& headers) {
  return request("GET", target, {}, headers);
}

http_response http_client::post(std::string_view target, const boost::json::value& body,
                                const header_list& headers) {
  return request("POST", target, boost::json::serialize(body), headers);
}

http_response http_client::post_text(std::string_view target, std::string_view body,
                                     const header_list& headers) {
  return request("POST", target, body, headers);
}

http_response http_client::request(std::string_view method, std::string_view target,
                                   std::string_view body, const header_list& headers) {
  auto what = std::string(method) + " " + std::string(target);
  bhttp::request<bhttp::string_body> req;
  req.version(11);
  if (auto verb = bhttp::string_to_verb(method); verb != bhttp::verb::unknown)
    req.method(verb);
  else
    req.method_string(method);
  req.target(target);
  req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
  req.set(bhttp::field::user_agent, "tascade-tests");
  if (!body.empty() || method == "POST") {
    req.set(bhttp::field::content_type, "application/json");
    req.body() = std::string(body);
  }
  for (auto& [name, value] : default_headers_)
    req.set(name, value);
  for (auto& [name, value] : headers)
    req.set(name, value);  // after the defaults, so a request can override them
  req.prepare_payload();

  ensure_connected();
  beast::error_code ec;
  bhttp::write(conn_->socket, req, ec);
  if (ec) {
    close();
    fail(what + ": write", ec);
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(response_body_limit);
  bhttp::read(conn_->socket, conn_->buffer, parser, ec);
  if (ec) {
    close();
    fail(what + ": read", ec);
  }
  auto out = to_response(parser.get());
  if (!out.keep_alive)
    close();
  return out;
}

http_response http_client::send_raw(std::string_view bytes) {
  connection c;
  connect(c.socket, c.ioc, host_, port_);
  ++connections_opened_;
  beast::error_code ec;
  net::write(c.socket, net::buffer(bytes.data(), bytes.size()), ec);
  if (ec)
    fail("raw write", ec);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(response_body_limit);
  bhttp::read(c.socket, c.buffer, parser, ec);
  if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
      ec == net::error::connection_reset)
    return {};  // closed without an answer
  if (ec)
    fail("raw read", ec);
  return to_response(parser.get());
}

}  // namespace tascade::test

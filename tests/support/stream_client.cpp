#include "tests/support/stream_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace tascade::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

// ---- SSE ----------------------------------------------------------------------------------

sse_client::sse_client(uint16_t port, std::string target, const header_list& headers,
                       int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0)
    throw std::runtime_error("sse_client: socket failed");
  if (receive_buffer > 0)
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("sse_client: cannot connect to port " + std::to_string(port));
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (auto& [name, value] : headers)
    req += name + ": " + value + "\r\n";
  req += "\r\n";
  if (::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != ssize_t(req.size()))
    throw std::runtime_error("sse_client: cannot send the request");
  // The status line and headers.
  while (pending_.find("\r\n\r\n") == std::string::npos)
    if (!fill(std::chrono::seconds(10)))
      return;
  auto head_end = pending_.find("\r\n\r\n");
  auto head = pending_.substr(0, head_end);
  pending_.erase(0, head_end + 4);
  auto space = head.find(' ');
  status_ = std::stoi(head.substr(space + 1, 3));
  if (status_ != 200) {
    // A refusal: a JSON body with Content-Length, then the server closes.
    while (fill(std::chrono::seconds(2))) {
    }
    body_ = pending_;
    pending_.clear();
  }
}

sse_client::~sse_client() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool sse_client::fill(std::chrono::milliseconds timeout) {
  if (ended_)
    return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, int(timeout.count())) <= 0)
    return false;
  char buf[16384];
  auto n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    ended_ = true;
    return false;
  }
  pending_.append(buf, size_t(n));
  return true;
}

std::optional<sse_event> sse_client::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // One event ends at a blank line; comment lines (":") and retry fields are skipped.
    auto end = pending_.find("\n\n");
    while (end != std::string::npos) {
      auto block = pending_.substr(0, end);
      pending_.erase(0, end + 2);
      sse_event e{"", "message", ""};
      bool any = false;
      size_t start = 0;
      while (start <= block.size()) {
        auto nl = block.find('\n', start);
        if (nl == std::string::npos)
          nl = block.size();
        auto line = block.substr(start, nl - start);
        start = nl + 1;
        auto colon = line.find(':');
        if (line.empty() || colon == 0)
          continue;
        auto field = line.substr(0, colon);
        auto value = colon == std::string::npos ? "" : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ')
          value.erase(0, 1);
        if (field == "id")
          e.id = value, any = true;
        else if (field == "event")
          e.event = value, any = true;
        else if (field == "data")
          e.data += (e.data.empty() ? "" : "\n") + value, any = true;
      }
      if (any && !(e.data.empty() && e.id.empty() && e.event == "message"))
        return e;
      end = pending_.find("\n\n");
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !fill(left))
      return std::nullopt;
  }
}

// ---- WebSocket ----------------------------------------------------------------------------

struct ws_client::impl {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  std::string subprotocol;
  beast::flat_buffer buffer;
  bool reading = false;
  bool done = false;
  bool closed = false;
  beast::error_code result;
};

namespace {

void connect(websocket::stream<beast::tcp_stream>& ws, uint16_t port, const std::string& target,
             const header_list& headers, const std::string& subprotocol,
             websocket::response_type& res, beast::error_code& ec, int receive_buffer = 0) {
  auto& socket = beast::get_lowest_layer(ws).socket();
  socket.open(net::ip::tcp::v4(), ec);
  if (!ec && receive_buffer > 0)
    socket.set_option(net::socket_base::receive_buffer_size(receive_buffer), ec);
  if (!ec)
    socket.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec)
    return;
  ws.set_option(websocket::stream_base::decorator([headers, subprotocol](websocket::request_type& r) {
    for (auto& [name, value] : headers)
      r.set(name, value);
    if (!subprotocol.empty())
      r.set(beast::http::field::sec_websocket_protocol, subprotocol);
  }));
  ws.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
}

}  // namespace

ws_client::ws_client(uint16_t port, std::string target, const header_list& headers,
                     std::string subprotocol, int receive_buffer)
    : impl_(std::make_unique<impl>()) {
  websocket::response_type res;
  beast::error_code ec;
  connect(impl_->ws, port, target, headers, subprotocol, res, ec, receive_buffer);
  if (ec)
    throw std::runtime_error("ws_client: upgrade of " + target + " failed (HTTP " +
                             std::to_string(res.result_int()) + "): " + ec.message());
  if (auto h = res.find(beast::http::field::sec_websocket_protocol); h != res.end())
    impl_->subprotocol = std::string(h->value());
}

ws_client::~ws_client() {
  beast::error_code ec;
  beast::get_lowest_layer(impl_->ws).socket().close(ec);
}

const std::string& ws_client::subprotocol() const { return impl_->subprotocol; }

void ws_client::send(const std::string& text) {
  impl_->ws.text(true);
  impl_->ws.write(net::buffer(text));
}

std::optional<std::string> ws_client::receive(std::chrono::milliseconds timeout) {
  auto& i = *impl_;
  if (i.closed)
    return std::nullopt;
  if (!i.reading) {
    i.reading = true;
    i.done = false;
    i.ws.async_read(i.buffer, [&i](beast::error_code ec, size_t) {
      i.done = true;
      i.reading = false;
      i.result = ec;
    });
  }
  i.ioc.restart();
  i.ioc.run_for(timeout);
  if (!i.done)
    return std::nullopt;  // the read stays pending for the next call
  i.done = false;
  if (i.result) {
    i.closed = true;
    return std::nullopt;
  }
  auto text = beast::buffers_to_string(i.buffer.data());
  i.buffer.consume(i.buffer.size());
  return text;
}

int ws_client::close_code() const { return int(impl_->ws.reason().code); }
std::string ws_client::close_reason() const { return std::string(impl_->ws.reason().reason.c_str()); }

int ws_client::upgrade_status(uint16_t port, std::string target, const header_list& headers,
                              std::string subprotocol) {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  websocket::response_type res;
  beast::error_code ec;
  connect(ws, port, target, headers, subprotocol, res, ec);
  return int(res.result_int());
}

}  // namespace tascade::test

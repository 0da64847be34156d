// `tascade mcp --url ...`: an MCP stdio server for agents whose configuration takes a
// `command`. Each line on stdin is one JSON-RPC message, sent as one WebSocket text frame to a
// running tascaded; each frame received is written to stdout as one line. Diagnostics go to
// stderr only, as the stdio transport requires.

#include "tools/commands.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <cstdlib>
#include <deque>
#include <iostream>
#include <thread>

namespace tascade::tools {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {

struct endpoint {
  std::string host;
  std::string port;
  std::string target;
};

// ws://host:port/path (http:// is accepted as its WebSocket twin).
bool parse_url(std::string url, endpoint& out) {
  for (auto scheme : {"ws://", "http://"})
    if (url.rfind(scheme, 0) == 0) {
      url = url.substr(std::string_view(scheme).size());
      auto slash = url.find('/');
      auto authority = url.substr(0, slash);
      out.target = slash == std::string::npos ? "/mcp" : url.substr(slash);
      auto colon = authority.rfind(':');
      out.host = authority.substr(0, colon);
      out.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
      return !out.host.empty();
    }
  return false;
}

class bridge {
 public:
  explicit bridge(net::io_context& ioc) : ioc_(ioc), ws_(ioc), grace_(ioc) {}

  bool connect(const endpoint& where, const std::string& key) {
    beast::error_code ec;
    net::ip::tcp::resolver resolver(ioc_);
    auto found = resolver.resolve(where.host, where.port, ec);
    if (!ec)
      beast::get_lowest_layer(ws_).connect(found, ec);
    if (ec) {
      std::cerr << "tascade mcp: cannot connect to " << where.host << ":" << where.port << ": "
                << ec.message() << "\n";
      return false;
    }
    ws_.set_option(websocket::stream_base::decorator([key](websocket::request_type& req) {
      req.set(beast::http::field::user_agent, "tascade-mcp-bridge");
      req.set(beast::http::field::sec_websocket_protocol, "mcp");
      if (!key.empty())
        req.set(beast::http::field::authorization, "Bearer " + key);
    }));
    ws_.read_message_max(64 << 20);
    websocket::response_type res;
    ws_.handshake(res, where.host + ":" + where.port, where.target, ec);
    if (ec) {
      std::cerr << "tascade mcp: the server refused the connection (HTTP " << res.result_int()
                << "): " << res.body() << "\n";
      return false;
    }
    return true;
  }

  void run() {
    read();
    std::thread([this] {
      std::string line;
      while (std::getline(std::cin, line)) {
        if (line.empty() || line == "\r")
          continue;
        net::post(ioc_, [this, line] { send(line); });
      }
      net::post(ioc_, [this] { finish_input(); });
    }).detach();
  }

  int exit_code() const { return exit_code_; }

 private:
  void read() {
    ws_.async_read(buffer_, [this](beast::error_code ec, size_t) {
      if (ec) {
        if (ec != websocket::error::closed && !input_done_) {
          std::cerr << "tascade mcp: connection lost: " << ec.message() << "\n";
          exit_code_ = 1;
        }
        closed_ = true;
        grace_.cancel();
        return;
      }
      auto text = beast::buffers_to_string(buffer_.data());
      buffer_.consume(buffer_.size());
      std::cout << text << '\n' << std::flush;
      if (is_response(text) && awaited_ > 0 && --awaited_ == 0 && input_done_ && !writing_)
        close();
      read();
    });
  }

  // A message with an id and a result or error answers one of the client's requests.
  static bool is_response(std::string_view text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    return !ec && v.is_object() && v.get_object().contains("id") &&
           (v.get_object().contains("result") || v.get_object().contains("error"));
  }
  static bool is_request(std::string_view text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    return !ec && v.is_object() && v.get_object().contains("id") &&
           v.get_object().contains("method");
  }

  void send(std::string line) {
    if (closed_)
      return;
    if (is_request(line))
      ++awaited_;
    outbox_.push_back(std::move(line));
    if (!writing_)
      write_next();
  }

  void write_next() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(outbox_.front()), [this](beast::error_code ec, size_t) {
      outbox_.pop_front();
      if (ec) {
        std::cerr << "tascade mcp: send failed: " << ec.message() << "\n";
        exit_code_ = 1;
        closed_ = true;
        return;
      }
      if (!outbox_.empty())
        return write_next();
      writing_ = false;
      if (input_done_ && awaited_ == 0)
        close();
    });
  }

  // stdin closed: the client has said everything. Close once every line is sent and every
  // request answered (a piped script still gets its replies), or after a grace period.
  void finish_input() {
    input_done_ = true;
    if (!writing_ && awaited_ == 0)
      return close();
    grace_.expires_after(std::chrono::seconds(30));
    grace_.async_wait([this](beast::error_code ec) {
      if (!ec)
        close();
    });
  }

  void close() {
    if (closed_)
      return;
    closed_ = true;
    grace_.cancel();
    ws_.async_close(websocket::close_code::normal, [](beast::error_code) {});
  }

  net::io_context& ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  net::steady_timer grace_;
  size_t awaited_ = 0;  ///< requests sent and not answered yet
  bool writing_ = false;
  bool input_done_ = false;
  bool closed_ = false;
  int exit_code_ = 0;
};

}  // namespace

int mcp_command(const std::vector<std::string>& args) {
  std::string url;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--url" && i + 1 < args.size())
      url = args[++i];
    else if (args[i].rfind("--url=", 0) == 0)
      url = args[i].substr(6);
    else if (args[i] == "--help" || args[i] == "-h") {
      std::cout << "usage: tascade mcp --url ws://HOST:PORT/mcp\n"
                   "MCP over stdio: one JSON-RPC message per line on stdin and stdout, bridged to\n"
                   "a running tascaded over WebSocket. The API key comes from TASCADE_API_KEY.\n";
      return 0;
    } else {
      std::cerr << "tascade mcp: unknown argument '" << args[i] << "'\n";
      return 2;
    }
  }
  if (url.empty())
    if (const char* env = std::getenv("TASCADE_URL"))
      url = env;
  endpoint where;
  if (!parse_url(url, where)) {
    std::cerr << "tascade mcp: --url ws://HOST:PORT/mcp is required\n";
    return 2;
  }
  const char* key = std::getenv("TASCADE_API_KEY");
  net::io_context ioc;
  bridge b(ioc);
  if (!b.connect(where, key ? key : ""))
    return 1;
  b.run();
  ioc.run();
  std::cout.flush();
  // The stdin reader may still be blocked in getline: leave without joining it.
  std::_Exit(b.exit_code());
}

}  // namespace tascade::tools

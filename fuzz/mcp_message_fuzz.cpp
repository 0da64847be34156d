// MCP JSON-RPC messages through the dispatcher, as the stdio transport feeds it: one message
// per line, in order, in one session (so initialize, tools/list and tools/call all reach their
// handling). Tool calls run the real catalogue's validation with echo handlers.

#include "fuzz/stub_catalogue.hpp"
#include "mcp/dispatcher.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tascade;
  static const mcp::dispatcher dispatcher{fuzz::stub_catalogue(), {.page_size = 7}};
  static const principal admin{};
  mcp::session_state session;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    auto end = rest.find('\n');
    auto line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    boost::system::error_code ec;
    auto message = boost::json::parse(line, ec);
    if (ec)
      continue;  // the transport answers a parse error without the dispatcher
    bool answered = false;
    dispatcher.handle(session, admin, message, [&](std::optional<boost::json::object> reply) {
      answered = true;
      if (reply)
        (void)boost::json::serialize(*reply);
    });
    if (!answered)
      std::abort();  // with echo handlers every message is answered inline
  }
  return 0;
}

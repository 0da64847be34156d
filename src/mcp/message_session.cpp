#include "mcp/message_session.hpp"

#include "mcp/jsonrpc.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

namespace tascade::mcp {

namespace json = boost::json;

bool message_session::on_text(const caf::expected<principal>& who, const std::string& text,
                              reply_fn reply) {
  if (!who) {
    // The key was revoked (or expired) since the connection opened: say so, then end.
    reply(json::serialize(
      rpc_error(nullptr, transport_error, "Unauthorized: " + message_of(who.error()))));
    return false;
  }
  boost::system::error_code ec;
  auto message = json::parse(text, ec);
  if (ec) {
    reply(json::serialize(rpc_error(nullptr, parse_error, "Parse error: " + ec.message())));
    return true;
  }
  mcp_.handle(state_, *who, message, [reply](std::optional<json::object> answer) {
    if (!answer)
      return reply(std::nullopt);
    reply(json::serialize(*answer));
  });
  return true;
}

}  // namespace tascade::mcp

#include "http/stream_routes.hpp"

#include "actors/access_rules.hpp"
#include "catalogue/error_mapping.hpp"
#include "http/request_errors.hpp"
#include "http/stream_sessions.hpp"
#include "tascade/errc.hpp"
#include "tascade/text_list.hpp"

#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <charconv>

namespace tascade::http {

namespace beast = boost::beast;
namespace json = boost::json;

namespace {

// The event stream reads like any query: any key, scoped to its project.
const operation& stream_events_rule() {
  static const operation op = [] {
    operation o;
    o.name = "stream_events";
    o.roles = std::vector<role>{};
    o.scope = scope_kind::automatic;
    return o;
  }();
  return op;
}

raw_response refusal_of(const raw_request& req, const caf::error& err) {
  auto mapped = catalogue::map_error(err);
  auto res = json_reply(req, mapped.status, mapped.body);
  if (mapped.status == 401)
    res.set(beast::http::field::www_authenticate, "Bearer");
  return res;
}

std::optional<global_seq> parse_seq(std::string_view text) {
  global_seq value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

}  // namespace

stream_routes::stream_routes(mcp_routes mcp, const event_log& log, subscription_hub& events,
                             authenticate_fn authenticate, stream_routes_options options)
    : mcp_(std::move(mcp)),
      log_(log),
      events_(events),
      authenticate_(std::move(authenticate)),
      options_(std::move(options)) {}

extra_routes stream_routes::hooks() {
  extra_routes hooks;
  hooks.owns = [](std::string_view path) {
    return path == "/mcp" || path == "/v1/events" || path == "/v1/events/ws";
  };
  hooks.answer = [this](const raw_request& req, std::function<void(raw_response)> respond) {
    if (path_of(req.target()) != "/mcp")
      return false;
    mcp_.streamable_http(req, std::move(respond));
    return true;
  };
  hooks.take_over = [this](raw_request& req, beast::tcp_stream& stream, beast::flat_buffer&) {
    return take_over(req, stream);
  };
  return hooks;
}

caf::expected<principal> stream_routes::who(const raw_request& req, raw_response& refusal) const {
  if (!authenticate_)
    return principal{};
  auto authenticated = authenticate_(authorization_of(req));
  if (!authenticated)
    refusal = refusal_of(req, authenticated.error());
  return authenticated;
}

bool stream_routes::event_source(const raw_request& req, const principal& who, feed_source& out,
                                 raw_response& refusal) const {
  auto target = req.target();
  out.log = &log_;
  out.hub = &events_;
  std::string cursor;
  if (auto h = req.find("Last-Event-ID"); h != req.end())
    cursor = std::string(h->value());  // a reconnecting EventSource: wins over ?after=
  else
    cursor = query_value(target, "after");
  if (!cursor.empty()) {
    auto seq = parse_seq(cursor);
    if (!seq) {
      refusal = refusal_of(req, make_error(errc::validation_failed,
                                           "the cursor must be a global sequence number, got '" +
                                             cursor + "'"));
      return false;
    }
    out.after = *seq;
  }
  auto project = query_value(target, "project_id");
  if (project.empty())
    project = query_value(target, "project");
  if (project.empty() && !who.global())
    project = who.project;  // a project key sees its own project's events only
  if (!project.empty())
    out.filter.project = project;
  out.filter.types = split_list(query_value(target, "types"));
  json::object input;
  if (!project.empty())
    input["project_id"] = project;
  if (auto denied = authorize(who, stream_events_rule(), input)) {
    if (options_.record_denial)
      if (auto audited = audited_denial(who, stream_events_rule(), input, denied))
        options_.record_denial(std::move(*audited));
    refusal = refusal_of(req, denied);
    return false;
  }
  return true;
}

bool stream_routes::take_over(raw_request& req, beast::tcp_stream& stream) {
  auto path = path_of(req.target());
  bool upgrade = beast::websocket::is_upgrade(req);
  bool mcp = upgrade && path == "/mcp";
  bool events_ws = upgrade && path == "/v1/events/ws";
  bool events_sse = !upgrade && path == "/v1/events" && req.method() == beast::http::verb::get;
  if (!mcp && !events_ws && !events_sse)
    return false;
  raw_response refusal;
  auto origin = req.find(beast::http::field::origin);
  if (origin != req.end() && !origin_allowed(origin->value(), options_.allowed_origins)) {
    reply_and_close(std::move(stream),
                    json_reply(req, 403, json::object{{"error",
                                                       {{"code", "ORIGIN_NOT_ALLOWED"},
                                                        {"message", "Origin not allowed"},
                                                        {"retryable", false},
                                                        {"details", nullptr}}}}));
    return true;
  }
  if (upgrade) {
    // Refused before Beast's accept, which would answer in plain text.
    if (auto bad = upgrade_refusal(req)) {
      auto res = json_reply(req, bad->status, json::parse(bad->body));
      if (bad->status == 426)
        res.set(beast::http::field::sec_websocket_version, "13");
      res.keep_alive(false);
      reply_and_close(std::move(stream), std::move(res));
      return true;
    }
  }
  auto caller = who(req, refusal);
  if (!caller) {
    reply_and_close(std::move(stream), std::move(refusal));
    return true;
  }
  if (mcp) {
    reauthenticate_fn again = [caller = *caller] { return caf::expected<principal>(caller); };
    if (authenticate_)
      again = [auth = authenticate_, header = authorization_of(req)] { return auth(header); };
    start_message_websocket(std::move(req), std::move(stream), mcp_.websocket, std::move(again),
                            options_.message_limit);
    return true;
  }
  feed_source source;
  if (authenticate_)
    source.still_allowed = [auth = authenticate_, header = authorization_of(req)] {
      return bool(auth(header));
    };
  if (!event_source(req, *caller, source, refusal)) {
    reply_and_close(std::move(stream), std::move(refusal));
    return true;
  }
  if (events_ws)
    start_event_websocket(std::move(req), std::move(stream), std::move(source));
  else
    start_event_sse(std::move(req), std::move(stream), std::move(source));
  return true;
}

}  // namespace tascade::http

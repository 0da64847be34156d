#include "http/extra_routes.hpp"

#include "http/router.hpp"

#include <boost/json.hpp>

namespace tascade::http {

namespace bhttp = boost::beast::http;

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::string query_value(std::string_view target, std::string_view name) {
  auto q = target.find('?');
  if (q == std::string_view::npos)
    return {};
  auto query = target.substr(q + 1);
  size_t start = 0;
  while (start < query.size()) {
    auto end = query.find('&', start);
    if (end == std::string_view::npos)
      end = query.size();
    auto part = query.substr(start, end - start);
    auto eq = part.find('=');
    if (url_decode(part.substr(0, eq), true) == name)
      return eq == std::string_view::npos ? std::string{}
                                          : url_decode(part.substr(eq + 1), true);
    start = end + 1;
  }
  return {};
}

bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed) {
  if (origin.empty())
    return true;  // not a browser: nothing to check
  for (auto& a : allowed)
    if (a == "*" || a == origin)
      return true;
  // Loopback origins on any port: a local dashboard or tool.
  auto scheme = origin.find("://");
  if (scheme == std::string_view::npos)
    return false;
  auto host = origin.substr(scheme + 3);
  if (host.starts_with("[::1]"))
    return host.size() == 5 || host[5] == ':';
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host == "127.0.0.1";
}

std::string authorization_of(const raw_request& req) {
  if (auto h = req.find(bhttp::field::authorization); h != req.end())
    return std::string(h->value());
  auto token = query_value(req.target(), "access_token");
  return token.empty() ? std::string{} : "Bearer " + token;
}

raw_response json_reply(const raw_request& req, int status, const boost::json::value& body) {
  raw_response res{static_cast<bhttp::status>(status), req.version()};
  res.set(bhttp::field::server, "tascade");
  res.set(bhttp::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  res.body() = boost::json::serialize(body);
  res.prepare_payload();
  return res;
}

}  // namespace tascade::http

#include "tools/plan_apply.hpp"

#include "tascade/ids.hpp"
#include "tools/bench/http_connection.hpp"

#include <boost/json.hpp>

#include <unistd.h>

#include <charconv>
#include <iostream>

namespace tascade::tools {

namespace {

namespace json = boost::json;

struct endpoint {
  std::string host;
  uint16_t port = 0;
};

// "http://host:port[/]" only: the tool speaks plain HTTP to a local or tunnelled server.
bool parse_url(std::string_view url, endpoint& out) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme)
    return false;
  url.remove_prefix(scheme.size());
  if (!url.empty() && url.back() == '/')
    url.remove_suffix(1);
  auto colon = url.rfind(':');
  if (colon == std::string_view::npos)
    return false;
  out.host = std::string(url.substr(0, colon));
  if (out.host == "localhost")
    out.host = "127.0.0.1";
  auto port = url.substr(colon + 1);
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
  return ec == std::errc{} && end == port.data() + port.size() && !out.host.empty();
}

void progress(const std::string& line) {
  if (isatty(STDERR_FILENO))
    std::cerr << "\r\033[K" << line << std::flush;
}

json::object contract_of(const plan_apply_request& r) {
  if (r.contract_text.empty())
    return {};
  if (r.syntax == "graphql")
    return {{"sdl", r.contract_text}};
  if (r.syntax == "json") {
    boost::system::error_code ec;
    auto doc = json::parse(r.contract_text, ec);
    if (!ec && doc.is_object())
      return {{"document", doc}};
  }
  return {{"document", r.contract_text}};
}

int refused(const std::string& step, const bench::reply& a) {
  progress("");
  std::cerr << "tascade plan: " << step << " failed ("
            << (a.status ? std::to_string(a.status) : std::string("no answer")) << "): " << a.body
            << "\n";
  return 1;
}

}  // namespace

int plan_and_apply(const plan_apply_request& r) {
  endpoint at;
  if (!parse_url(r.url, at)) {
    std::cerr << "tascade plan: --url must look like http://127.0.0.1:8010\n";
    return 2;
  }
  json::object body{{"projectId", r.project},
                    {"runId", uuid::random().str()},
                    {"prd", {{"text", r.prd}}},
                    {"contract", contract_of(r)}};
  progress("planning on " + r.url + " ...");
  auto made = bench::blocking_request(at.host, at.port, "POST", "/plans", json::serialize(body),
                                      r.key);
  if (made.status != 201)
    return refused("POST /plans", made);
  auto plan = json::parse(made.body).as_object();
  std::string id(plan.at("id").as_string());
  progress("plan " + id + " made; applying to project " + r.project + " ...");
  auto applied = bench::blocking_request(
    at.host, at.port, "POST", "/plans/" + id + "/apply",
    json::serialize(json::object{{"project_id", r.project}}), r.key);
  if (applied.status != 200)
    return refused("POST /plans/" + id + "/apply", applied);
  progress("");
  auto result = json::parse(applied.body).as_object();
  if (r.as_json) {
    std::cout << json::serialize(result) << "\n";
    return 0;
  }
  std::cout << "plan " << id << " applied to project " << r.project << ": "
            << result.at("tasks").as_array().size() << " tasks, plan version "
            << result.at("planVersion").to_number<int64_t>() << ", changeset "
            << result.at("changesetId").as_string() << "\n";
  return 0;
}

}  // namespace tascade::tools

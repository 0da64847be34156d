#include "tools/bench/project_setup.hpp"

#include "tools/bench/http_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <random>
#include <set>
#include <stdexcept>

namespace tascade::bench {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object expect(const reply& r, int status, const std::string& what) {
  if (r.status != status)
    throw std::runtime_error(what + ": HTTP " + std::to_string(r.status) + " " + r.body);
  return json::parse(r.body).as_object();
}

std::string id_of(const json::object& o) { return std::string(o.at("id").as_string()); }

}  // namespace

void parse_url(const std::string& url, std::string& host, uint16_t& port) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    throw std::invalid_argument("--url must be http://HOST:PORT, got '" + url + "'");
  auto rest = url.substr(scheme.size());
  while (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  auto colon = rest.rfind(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("--url needs a port: '" + url + "'");
  host = rest.substr(0, colon);
  if (host == "localhost")
    host = "127.0.0.1";
  port = uint16_t(std::stoi(rest.substr(colon + 1)));
}

generated_project create_project_over_http(const std::string& host, uint16_t port,
                                           const project_shape& shape) {
  generated_project out;
  auto post = [&](const std::string& target, const json::object& body, const std::string& what) {
    return expect(blocking_request(host, port, "POST", target, json::serialize(body)), 201, what);
  };
  out.project = id_of(post("/v1/projects", {{"name", "bench"}}, "create project"));
  auto base = "/v1/projects/" + out.project;
  auto phase = id_of(post(base + "/phases", {{"name", "P"}, {"sequence", 1}}, "create phase"));
  auto milestone = id_of(post(base + "/milestones",
                              {{"name", "M"}, {"sequence", 1}, {"phase_id", phase}},
                              "create milestone"));
  out.tasks.resize(size_t(shape.tasks));
  std::string failure;
  asio::io_context io;
  int next = 0;
  // Tasks first, by `parallel` creators; then the edges, likewise.
  auto creator = [&]() -> asio::awaitable<void> {
    http_connection c(io, host, port);
    while (next < shape.tasks && failure.empty()) {
      int i = next++;
      json::object body{{"project_id", out.project},
                        {"milestone_id", milestone},
                        {"title", "bench task " + std::to_string(i)},
                        {"task_class", "backend"},
                        {"priority", i % 4},
                        {"work_spec", json::object{{"objective", "bench"},
                                                   {"acceptance_criteria", json::array{"done"}}}}};
      auto payload = json::serialize(body);
      auto r = co_await c.request("POST", "/v1/tasks", payload);
      if (r.status != 201) {
        failure = "create task: HTTP " + std::to_string(r.status) + " " + r.body;
        co_return;
      }
      out.tasks[size_t(i)] = id_of(json::parse(r.body).as_object());
    }
  };
  for (int k = 0; k < shape.parallel; ++k)
    asio::co_spawn(io, creator, asio::detached);
  io.run();
  if (!failure.empty())
    throw std::runtime_error(failure);
  std::mt19937 rng(7);
  std::set<std::pair<int, int>> unique_edges;
  for (int i = 1; i < shape.tasks; ++i) {
    int wanted = shape.deps > 0 ? int(rng() % uint32_t(shape.deps + 1)) : 0;
    for (int k = 0; k < wanted; ++k) {
      int back = 1 + int(rng() % uint32_t(std::min(i, shape.window)));
      unique_edges.insert({i - back, i});
    }
  }
  std::vector<std::pair<int, int>> edges(unique_edges.begin(), unique_edges.end());
  size_t next_edge = 0;
  auto linker = [&]() -> asio::awaitable<void> {
    http_connection c(io, host, port);
    while (next_edge < edges.size() && failure.empty()) {
      auto [from, to] = edges[next_edge++];
      json::object body{{"project_id", out.project},
                        {"from_task_id", out.tasks[size_t(from)]},
                        {"to_task_id", out.tasks[size_t(to)]},
                        {"unlock_on", "implemented"}};
      auto payload = json::serialize(body);
      auto r = co_await c.request("POST", "/v1/dependencies", payload);
      if (r.status == 201)
        ++out.edges;
      else
        failure = "create dependency: HTTP " + std::to_string(r.status) + " " + r.body;
    }
  };
  io.restart();
  for (int k = 0; k < shape.parallel; ++k)
    asio::co_spawn(io, linker, asio::detached);
  io.run();
  if (!failure.empty())
    throw std::runtime_error(failure);
  return out;
}

}  // namespace tascade::bench

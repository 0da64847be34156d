// `tascade bench agents`: a fleet of simulated agents over keep-alive HTTP/1.1, all of them
// coroutines on one I/O thread so the generator leaves the server most of the machine.
// Workers loop claim-next → heartbeats → in_progress → implemented; reviewers integrate what
// workers implemented. Afterwards the invariants are checked on what the agents saw and on the
// server's own task timelines.

#include "tools/bench/bench_commands.hpp"
#include "tools/bench/flags.hpp"
#include "tools/bench/http_connection.hpp"
#include "tools/bench/op_stats.hpp"
#include "tools/bench/project_setup.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <unistd.h>

namespace tascade::bench {

namespace asio = boost::asio;
namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr const char* usage =
  "usage: tascade bench agents --url http://HOST:PORT [--agents N] [--reviewers R]\n"
  "         [--duration S] [--tasks T] [--deps D] [--heartbeats H] [--mode lifecycle|heartbeat]\n"
  "         [--check-tasks C]\n"
  "  lifecycle: workers loop claim-next, H heartbeats, in_progress, implemented;\n"
  "             reviewers integrate. heartbeat: each worker claims once, then only heartbeats.\n";

struct held_lease {
  std::string agent;
  clock_type::time_point claimed;                   // after the claim's answer
  std::optional<clock_type::time_point> released;  // before the releasing request was sent
};

struct run_state {
  std::string host;
  uint16_t port = 0;
  std::string project;
  clock_type::time_point deadline;
  bool heartbeat_only = false;
  int heartbeats = 2;
  int reviewers = 1;
  op_stats stats;
  std::map<std::string, std::vector<held_lease>> leases;  // task -> in claim order
  std::map<std::string, std::string> implementer;         // task -> agent
  std::vector<std::pair<std::string, std::string>> integrations;  // task, reviewer
  uint64_t requests = 0;
};

// Parameters by value: GCC 12 mishandles some temporaries that live across a co_await.
asio::awaitable<reply> timed(run_state& s, http_connection& c, std::string op,
                             const char* method, std::string target, json::object body = {}) {
  std::string payload;
  if (!body.empty())
    payload = json::serialize(body);
  auto t0 = clock_type::now();
  auto r = co_await c.request(method, target, payload);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - t0).count();
  s.stats.record(op, uint64_t(us), r.status,
                 r.status >= 200 && r.status < 300 ? std::string{} : error_code_of(r.body));
  ++s.requests;
  co_return r;
}

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

json::object move_body(const run_state& s, const char* state, const std::string& actor,
                       const std::string& token) {
  return {{"project_id", s.project}, {"new_state", state},   {"actor_id", actor},
          {"reason", "bench"},       {"lease_token", token}};
}

asio::awaitable<void> worker(run_state& s, asio::io_context& io, std::string agent) {
  http_connection c(io, s.host, s.port);
  json::object claim{{"project_id", s.project}, {"agent_id", agent}, {"ttl_seconds", 120}};
  std::optional<std::pair<std::string, std::string>> held;  // heartbeat mode: task, token
  while (clock_type::now() < s.deadline) {
    if (!held) {
      auto r = co_await timed(s, c, "claim_next", "POST", "/v1/tasks/claim-next", claim);
      if (r.status != 200) {
        co_await pause(std::chrono::milliseconds(r.status == 0 ? 100 : 20));
        continue;
      }
      auto v = json::parse(r.body).as_object();
      held = {std::string(v.at("task").at("id").as_string()),
              std::string(v.at("lease").at("token").as_string())};
      s.leases[held->first].push_back({agent, clock_type::now(), std::nullopt});
    }
    auto [task, token] = *held;
    json::object beat{{"project_id", s.project}, {"agent_id", agent}, {"lease_token", token}};
    auto base = "/v1/tasks/" + task;
    if (s.heartbeat_only) {
      auto r = co_await timed(s, c, "heartbeat", "POST", base + "/heartbeat", beat);
      if (r.status != 200)
        held.reset();
      continue;
    }
    held.reset();
    for (int h = 0; h < s.heartbeats; ++h)
      co_await timed(s, c, "heartbeat", "POST", base + "/heartbeat", beat);
    co_await timed(s, c, "in_progress", "POST", base + "/state",
                   move_body(s, "in_progress", agent, token));
    auto releasing = clock_type::now();
    auto r = co_await timed(s, c, "implemented", "POST", base + "/state",
                            move_body(s, "implemented", agent, token));
    if (r.status == 200) {
      s.leases[task].back().released = releasing;
      s.implementer[task] = agent;
    }
  }
}

asio::awaitable<void> reviewer(run_state& s, asio::io_context& io, int index) {
  http_connection c(io, s.host, s.port);
  auto me = "reviewer-" + std::to_string(index);
  auto list = "/v1/tasks?project_id=" + s.project + "&state=implemented&limit=100";
  while (clock_type::now() < s.deadline) {
    auto r = co_await timed(s, c, "list_implemented", "GET", list);
    int done = 0;
    if (r.status == 200) {
      auto listed = json::parse(r.body);
      for (auto& item : listed.at("items").as_array()) {
        auto task = std::string(item.at("id").as_string());
        if (std::hash<std::string>{}(task) % size_t(s.reviewers) != size_t(index))
          continue;  // another reviewer's share
        json::object body{{"project_id", s.project},
                          {"new_state", "integrated"},
                          {"actor_id", "integrator-" + std::to_string(index)},
                          {"reason", "reviewed"},
                          {"reviewed_by", me},
                          {"review_evidence_refs", json::array{"review://bench/" + task}}};
        auto m = co_await timed(s, c, "integrate", "POST", "/v1/tasks/" + task + "/state", body);
        if (m.status == 200)
          s.integrations.push_back({task, me});
        ++done;
        if (clock_type::now() >= s.deadline)
          break;
      }
    }
    if (done == 0)
      co_await pause(std::chrono::milliseconds(50));
  }
}

asio::awaitable<void> progress(run_state& s, clock_type::time_point start) {
  if (!isatty(STDERR_FILENO))
    co_return;
  uint64_t last = 0;
  while (clock_type::now() < s.deadline) {
    co_await pause(std::chrono::milliseconds(1000));
    auto secs = std::chrono::duration<double>(clock_type::now() - start).count();
    std::fprintf(stderr, "\r[%5.1f s] %llu requests, %llu/s   ", secs,
                 (unsigned long long)s.requests, (unsigned long long)(s.requests - last));
    last = s.requests;
  }
  std::fprintf(stderr, "\n");
}

struct invariants {
  uint64_t overlapping_leases = 0;   // seen by the agents
  uint64_t self_integrations = 0;    // seen by the agents
  uint64_t timelines_checked = 0;    // on the server
  std::vector<std::string> server_violations;
  bool ok() const {
    return overlapping_leases == 0 && self_integrations == 0 && server_violations.empty();
  }
};

// The server's own timeline of a task: no claim while a lease is live, and an integration only
// with a reviewer who is neither the implementer nor the one who moved it.
void check_timeline(const std::string& task, const json::array& items, invariants& out) {
  bool live = false;
  std::string implementer;
  for (auto& item : items) {
    auto& ev = item.as_object();
    auto type = ev.at("type").as_string();
    auto& pl = ev.at("payload").as_object();
    auto seq = std::to_string(ev.at("seq").to_number<uint64_t>());
    if (type == "task_claimed") {
      if (live)
        out.server_violations.push_back(task + ": claimed at seq " + seq + " while leased");
      live = true;
    } else if (type == "lease_expired") {
      live = false;
    } else if (type == "task_state_transitioned") {
      if (pl.at("lease_released").as_bool())
        live = false;
      auto to = pl.at("to_state").as_string();
      if (to == "implemented")
        implementer = std::string(pl.at("actor_id").as_string());
      if (to == "integrated") {
        auto* by = pl.if_contains("reviewed_by");
        auto reviewer = by && by->is_string() ? std::string(by->as_string()) : std::string();
        if (reviewer.empty() || reviewer == implementer ||
            reviewer == std::string(pl.at("actor_id").as_string()))
          out.server_violations.push_back(task + ": integrated by '" + reviewer +
                                          "' at seq " + seq);
      }
    }
  }
}

invariants check(run_state& s, size_t server_checks) {
  invariants out;
  for (auto& [task, held] : s.leases)
    for (size_t i = 1; i < held.size(); ++i)
      if (!held[i - 1].released || *held[i - 1].released > held[i].claimed)
        ++out.overlapping_leases;
  for (auto& [task, reviewer] : s.integrations) {
    auto it = s.implementer.find(task);
    if (it != s.implementer.end() && it->second == reviewer)
      ++out.self_integrations;
  }
  for (auto& [task, held] : s.leases) {
    if (out.timelines_checked >= server_checks)
      break;
    auto r = blocking_request(s.host, s.port, "GET",
                              "/v1/tasks/" + task + "/events?project_id=" + s.project);
    if (r.status != 200) {
      out.server_violations.push_back(task + ": events HTTP " + std::to_string(r.status));
      continue;
    }
    check_timeline(task, json::parse(r.body).at("items").as_array(), out);
    ++out.timelines_checked;
  }
  return out;
}

}  // namespace

int bench_agents(const std::vector<std::string>& args) {
  flags f(args);
  if (!f.has("--url")) {
    std::cerr << usage;
    return 2;
  }
  run_state s;
  parse_url(f.text("--url", ""), s.host, s.port);
  auto agents = int(f.integer("--agents", 64));
  s.reviewers = int(f.integer("--reviewers", std::max(1, agents / 8)));
  auto duration = std::chrono::seconds(f.integer("--duration", 10));
  auto mode = f.text("--mode", "lifecycle");
  if (mode != "lifecycle" && mode != "heartbeat") {
    std::cerr << usage;
    return 2;
  }
  s.heartbeat_only = mode == "heartbeat";
  s.heartbeats = int(f.integer("--heartbeats", 2));
  project_shape shape;
  shape.tasks = int(f.integer("--tasks", 5000));
  shape.deps = int(f.integer("--deps", 1));
  auto setup_start = clock_type::now();
  auto project = create_project_over_http(s.host, s.port, shape);
  s.project = project.project;
  auto setup_secs = std::chrono::duration<double>(clock_type::now() - setup_start).count();
  std::cerr << "project " << s.project << ": " << shape.tasks << " tasks, " << project.edges
            << " dependencies in " << setup_secs << " s\n";

  asio::io_context io;
  auto start = clock_type::now();
  s.deadline = start + duration;
  for (int i = 0; i < agents; ++i)
    asio::co_spawn(io, worker(s, io, "agent-" + std::to_string(i)), asio::detached);
  if (!s.heartbeat_only)
    for (int i = 0; i < s.reviewers; ++i)
      asio::co_spawn(io, reviewer(s, io, i), asio::detached);
  asio::co_spawn(io, progress(s, start), asio::detached);
  io.run();
  auto secs = std::chrono::duration<double>(clock_type::now() - start).count();

  auto inv = check(s, size_t(f.integer("--check-tasks", 500)));
  uint64_t total = 0;
  for (auto& [name, fig] : s.stats.ops())
    total += fig.latency.count();
  std::cout << "agents " << agents << ", reviewers " << (s.heartbeat_only ? 0 : s.reviewers)
            << ", mode " << mode << ", " << secs << " s, " << total << " requests ("
            << double(total) / secs << "/s)\n"
            << s.stats.table(secs) << "invariants: " << inv.overlapping_leases
            << " overlapping leases, " << inv.self_integrations << " self-integrations, "
            << inv.timelines_checked << " server timelines checked, "
            << inv.server_violations.size() << " violations\n";
  for (auto& v : inv.server_violations)
    std::cout << "  violation: " << v << "\n";
  json::object out{{"bench", "agents"},
                   {"mode", mode},
                   {"agents", agents},
                   {"seconds", secs},
                   {"requests", total},
                   {"requests_per_second", double(total) / secs},
                   {"ops", s.stats.to_json(secs)},
                   {"integrated", s.integrations.size()},
                   {"invariants_ok", inv.ok()},
                   {"timelines_checked", inv.timelines_checked}};
  std::cout << json::serialize(out) << "\n";
  return inv.ok() ? 0 : 1;
}

}  // namespace tascade::bench

// `tascade bench scale`: how cost grows with project size. For each size (default 1 000,
// 10 000 and 100 000 tasks) a log is written through the pure rules: one project whose tasks
// form `--width` chains (task i waits for task i - width), so the claimable frontier stays the
// same size however large the project is. A real server starts on it; one keep-alive client
// then measures the ready query, claim-next, the moves to in_progress and implemented (timed
// together as "transition"; implemented frees the next task of the chain) and the project
// graph, and reads the server's resident memory: right after the last round, and once idle
// task actors have passivated (the server runs with `--idle-seconds`, default 2) and the
// server settled, which is the figure the memory target is about.

#include "tools/bench/bench_commands.hpp"
#include "tools/bench/flags.hpp"
#include "tools/bench/histogram.hpp"
#include "tools/bench/http_connection.hpp"
#include "tools/bench/log_generator.hpp"
#include "tools/bench/scratch_dir.hpp"
#include "tools/bench/server_launch.hpp"

#include "tascade/errc.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

namespace tascade::bench {

namespace asio = boost::asio;
namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

namespace {

struct size_figures {
  histogram ready, claim, transition, graph;
  // The same requests as the server timed them (Server-Timing): without the client and the
  // network, which on a shared 2-core machine add most of the spread.
  histogram ready_server, claim_server, transition_server, graph_server;
  uint64_t rss_loaded = 0, rss_right_after = 0, rss_after = 0;
  double start_seconds = 0;
  uint64_t events = 0;
};

json::object row(const char* name, const histogram& h, const histogram& server) {
  return {{"op", name},
          {"count", h.count()},
          {"p50_us", h.percentile(0.5)},
          {"p90_us", h.percentile(0.9)},
          {"p99_us", h.percentile(0.99)},
          {"max_us", h.max()},
          {"server_p50_us", server.percentile(0.5)},
          {"server_p99_us", server.percentile(0.99)},
          {"server_max_us", server.max()}};
}

size_figures measure(const std::string& binary, const scratch_dir& dir, int tasks, int width,
                     int rounds, int graph_rounds, int idle_seconds) {
  size_figures out;
  auto data = dir.sub("data-" + std::to_string(tasks));
  generated_log made;
  {
    auto log = event_log::open(data);
    if (!log)
      throw std::runtime_error("cannot open " + data + ": " + message_of(log.error()));
    log_shape shape;
    shape.tasks_per_project = tasks;
    shape.chain = width;
    made = generate_log(**log, shape);
  }
  out.events = made.events;
  launched_server server(binary, data, dir.sub("server-" + std::to_string(tasks) + ".log"));
  out.start_seconds = server.seconds_to_listen();
  out.rss_loaded = server.resident_bytes();
  auto project = made.projects.front().str();
  std::string failure;
  asio::io_context io;
  auto client = [&]() -> asio::awaitable<void> {
    http_connection c(io, "127.0.0.1", server.port());
    auto timed = [&](histogram& h, histogram& server, const char* method, std::string target,
                     std::string body) -> asio::awaitable<reply> {
      auto t0 = clock_type::now();
      auto r = co_await c.request(method, target, body);
      h.record(uint64_t(
        std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - t0).count()));
      if (r.server_ms >= 0)
        server.record(uint64_t(r.server_ms * 1000));
      co_return r;
    };
    auto ready = "/v1/tasks/ready?project_id=" + project + "&agent_id=bench";
    for (int i = 0; i < rounds && failure.empty(); ++i) {
      auto r = co_await timed(out.ready, out.ready_server, "GET", ready, "");
      if (r.status != 200)
        failure = "ready: " + std::to_string(r.status) + " " + r.body;
      json::object claim{{"project_id", project}, {"agent_id", "bench"}, {"ttl_seconds", 600}};
      r = co_await timed(out.claim, out.claim_server, "POST", "/v1/tasks/claim-next",
                         json::serialize(claim));
      if (r.status != 200) {
        failure = "claim-next: " + std::to_string(r.status) + " " + r.body;
        break;
      }
      auto v = json::parse(r.body).as_object();
      auto task = std::string(v.at("task").at("id").as_string());
      auto token = std::string(v.at("lease").at("token").as_string());
      for (const char* to : {"in_progress", "implemented"}) {
        json::object move{{"project_id", project}, {"new_state", to}, {"actor_id", "bench"},
                          {"reason", "bench"},     {"lease_token", token}};
        r = co_await timed(out.transition, out.transition_server, "POST",
                           "/v1/tasks/" + task + "/state",
                           json::serialize(move));
        if (r.status != 200) {
          failure = std::string(to) + ": " + std::to_string(r.status) + " " + r.body;
          break;
        }
      }
    }
    out.rss_right_after = server.resident_bytes();
    // Idle task actors passivate `idle_seconds` after their last command; give them that,
    // their idle check's slack and the server's heap trimmer (1 s period) time.
    asio::steady_timer settle(io, std::chrono::seconds(idle_seconds + 3));
    co_await settle.async_wait(asio::use_awaitable);
    out.rss_after = server.resident_bytes();  // before the graph's large replies
    for (int i = 0; i < graph_rounds && failure.empty(); ++i) {
      auto r = co_await timed(out.graph, out.graph_server, "GET",
                              "/v1/projects/" + project + "/graph", "");
      if (r.status != 200)
        failure = "graph: " + std::to_string(r.status);
    }
  };
  asio::co_spawn(io, client, asio::detached);
  io.run();
  if (!failure.empty())
    throw std::runtime_error(failure);
  return out;
}

uint64_t empty_server_rss(const std::string& binary, const scratch_dir& dir) {
  launched_server server(binary, dir.sub("data-empty"), dir.sub("server-empty.log"));
  return server.resident_bytes();
}

}  // namespace

int bench_scale(const std::vector<std::string>& args) {
  flags f(args);
  auto sizes = f.integers("--tasks", {1000, 10000, 100000});
  auto width = int(f.integer("--width", 50));
  auto rounds = int(f.integer("--rounds", 500));
  auto graph_rounds = int(f.integer("--graph-rounds", 10));
  auto idle_seconds = int(f.integer("--idle-seconds", 2));
  // The servers below inherit it: idle task actors stop this long after their last command.
  setenv("TASCADE_TASK_IDLE_SECONDS", std::to_string(idle_seconds).c_str(), 1);
  auto binary = server_binary(f.text("--server", ""));
  scratch_dir dir(f.text("--dir", ""));
  auto base_rss = empty_server_rss(binary, dir);
  json::array runs;
  std::printf("%-8s %-12s %8s %8s %8s %9s %12s %12s\n", "tasks", "operation", "p50_us",
              "p90_us", "p99_us", "max_us", "server_p50", "server_p99");
  for (auto n : sizes) {
    auto m = measure(binary, dir, int(n), width, rounds, graph_rounds, idle_seconds);
    struct measured {
      const char* name;
      const histogram& client;
      const histogram& server;
    };
    json::array ops;
    for (auto& [name, h, server] : {measured{"ready", m.ready, m.ready_server},
                                    measured{"claim_next", m.claim, m.claim_server},
                                    measured{"transition", m.transition, m.transition_server},
                                    measured{"graph", m.graph, m.graph_server}}) {
      ops.push_back(row(name, h, server));
      std::printf("%-8lld %-12s %8llu %8llu %8llu %9llu %12llu %12llu\n", n, name,
                  (unsigned long long)h.percentile(0.5), (unsigned long long)h.percentile(0.9),
                  (unsigned long long)h.percentile(0.99), (unsigned long long)h.max(),
                  (unsigned long long)server.percentile(0.5),
                  (unsigned long long)server.percentile(0.99));
    }
    double per_task = double(m.rss_loaded > base_rss ? m.rss_loaded - base_rss : 0) / double(n);
    double per_task_after =
      double(m.rss_after > base_rss ? m.rss_after - base_rss : 0) / double(n);
    double per_task_right_after =
      double(m.rss_right_after > base_rss ? m.rss_right_after - base_rss : 0) / double(n);
    std::printf("%-8lld start %.2f s (%llu events), memory per task %.0f B loaded, %.0f B after "
                "the run (%.0f B right after the last round)\n",
                n, m.start_seconds, (unsigned long long)m.events, per_task, per_task_after,
                per_task_right_after);
    runs.push_back(json::object{{"tasks", n},
                                {"events", m.events},
                                {"start_seconds", m.start_seconds},
                                {"rss_empty_bytes", base_rss},
                                {"rss_loaded_bytes", m.rss_loaded},
                                {"rss_after_bytes", m.rss_after},
                                {"rss_right_after_bytes", m.rss_right_after},
                                {"bytes_per_task_loaded", per_task},
                                {"bytes_per_task_after", per_task_after},
                                {"bytes_per_task_right_after", per_task_right_after},
                                {"ops", ops}});
  }
  std::cout << json::serialize(json::object{{"bench", "scale"}, {"runs", runs}}) << "\n";
  return 0;
}

}  // namespace tascade::bench

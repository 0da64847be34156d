// `tascade bench replay`: writes a log of about --events events (default 1 000 000) through the
// pure rules, then measures `replay verify` and a full projection rebuild (events/s), the same
// functions the `tascade replay` commands run, and the cold start of a real server on it,
// without and then with a read-model checkpoint.

#include "tools/bench/bench_commands.hpp"
#include "tools/bench/cold_start.hpp"
#include "tools/bench/flags.hpp"
#include "tools/bench/log_generator.hpp"
#include "tools/bench/scratch_dir.hpp"
#include "tools/bench/server_launch.hpp"
#include "tools/bench/stopwatch.hpp"

#include "events/log_verifier.hpp"
#include "projections/projection_hub.hpp"
#include "projections/rebuild.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace tascade::bench {

namespace json = boost::json;

namespace {

void show_progress(const char* label, uint64_t done, uint64_t total) {
  if (isatty(STDERR_FILENO))
    std::fprintf(stderr, "\r%s %llu/%llu   ", label, (unsigned long long)done,
                 (unsigned long long)total);
}

}  // namespace

int bench_replay(const std::vector<std::string>& args) {
  flags f(args, {"--no-server"});
  auto target = uint64_t(f.integer("--events", 1000000));
  scratch_dir dir(f.text("--dir", ""));
  auto data = dir.sub("data");
  // Every task: created and about half an edge; nine in ten then claimed, renewed 5 times and
  // moved 3 times: about 9.6 events per task.
  log_shape shape;
  shape.projects = int(f.integer("--projects", 10));
  shape.tasks_per_project = std::max(1, int(double(target) / 9.6 / shape.projects));
  shape.completed_per_project = shape.tasks_per_project * 9 / 10;  // the rest stay ready
  generated_log made;
  double write_secs = 0;
  {
    auto log = event_log::open(data);
    if (!log) {
      std::cerr << "cannot open " << data << ": " << message_of(log.error()) << "\n";
      return 1;
    }
    auto t = clock_type::now();
    made = generate_log(**log, shape, [&](uint64_t n) { show_progress("write", n, target); });
    write_secs = seconds_since(t);
  }
  std::fprintf(stderr, "\n");
  auto log = event_log::open(data, true);
  if (!log) {
    std::cerr << "cannot reopen " << data << ": " << message_of(log.error()) << "\n";
    return 1;
  }
  auto t = clock_type::now();
  auto report = verify_log(**log, [](uint64_t d, uint64_t n) { show_progress("verify", d, n); });
  auto verify_secs = seconds_since(t);
  std::fprintf(stderr, "\n");
  if (!report.ok()) {
    std::cerr << "verify failed at " << *report.first_bad << ": " << report.problem << "\n";
    return 1;
  }
  t = clock_type::now();
  projection_hub hub;
  auto applied = rebuild_projections(**log, hub,
                                     [](uint64_t d, uint64_t n) { show_progress("rebuild", d, n); });
  auto rebuild_secs = seconds_since(t);
  std::fprintf(stderr, "\n");
  if (!applied) {
    std::cerr << "rebuild failed: " << message_of(applied.error()) << "\n";
    return 1;
  }
  log->reset();
  json::object out{{"bench", "replay"},
                   {"events", report.events},
                   {"write_seconds", write_secs},
                   {"verify_seconds", verify_secs},
                   {"verify_events_per_second", double(report.events) / verify_secs},
                   {"rebuild_seconds", rebuild_secs},
                   {"rebuild_events_per_second", double(*applied) / rebuild_secs}};
  std::printf("events %llu (written in %.1f s)\n", (unsigned long long)report.events, write_secs);
  std::printf("replay verify     %10.0f events/s  (%.2f s)\n",
              double(report.events) / verify_secs, verify_secs);
  std::printf("projection rebuild%10.0f events/s  (%.2f s)\n", double(*applied) / rebuild_secs,
              rebuild_secs);
  if (!f.has("--no-server")) {
    auto binary = server_binary(f.text("--server", ""));
    auto project = made.projects.front().str();
    // First without read-model checkpoints: the whole log is replayed (and none is written).
    setenv("TASCADE_CHECKPOINT_EVERY", "0", 1);
    auto cold = measure_cold_start(binary, data, dir.sub("server.log"), project);
    unsetenv("TASCADE_CHECKPOINT_EVERY");
    out["cold_start_listen_seconds"] = cold.to_listen;
    out["cold_start_health_seconds"] = cold.to_health;
    out["cold_start_first_ready_seconds"] = cold.to_first_ready;
    std::printf("cold start        listening %.2f s, /health %.2f s, first ready query %.2f s "
                "(no checkpoint)\n",
                cold.to_listen, cold.to_health, cold.to_first_ready);
    // Then with them: one start replays everything and writes a checkpoint when it stops; the
    // start measured after it loads that checkpoint.
    measure_cold_start(binary, data, dir.sub("server-warmup.log"), project);
    auto warm = measure_cold_start(binary, data, dir.sub("server-checkpoint.log"), project);
    out["cold_start_checkpoint_listen_seconds"] = warm.to_listen;
    out["cold_start_checkpoint_health_seconds"] = warm.to_health;
    out["cold_start_checkpoint_first_ready_seconds"] = warm.to_first_ready;
    std::printf("cold start        listening %.2f s, /health %.2f s, first ready query %.2f s "
                "(from a read-model checkpoint)\n",
                warm.to_listen, warm.to_health, warm.to_first_ready);
  }
  std::cout << json::serialize(out) << "\n";
  return 0;
}

}  // namespace tascade::bench

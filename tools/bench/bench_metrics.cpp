// `tascade bench metrics`: writes a log with one project of --tasks tasks (default 100 000; half
// of them go through claim, in_progress, implemented and integrated), then measures
//  - the projection rebuild with and without the metrics projection (events/s, and the share
//    of throughput the metrics cost), the same rebuild a server start runs; also its CPU time
//    (all threads), which other processes on a shared machine disturb far less than wall time;
//  - GET /v1/metrics/summary's server-side work on that project: the summary built from the
//    metrics projection under the read lock and serialised, --queries times (p50, p99, max).

#include "tools/bench/bench_commands.hpp"
#include "tools/bench/flags.hpp"
#include "tools/bench/log_generator.hpp"
#include "tools/bench/scratch_dir.hpp"
#include "tools/bench/stopwatch.hpp"

#include "projections/projection_hub.hpp"
#include "projections/rebuild.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include <sys/resource.h>

namespace tascade::bench {

namespace json = boost::json;

namespace {

// CPU seconds this process has used, every thread counted.
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

struct rebuild_figures {
  double events_per_second = 0;
  double cpu_us_per_event = 0;
};

// One full rebuild into a fresh hub.
rebuild_figures rebuild_once(const event_log& log, bool with_metrics, uint64_t& applied) {
  projection_hub hub;
  read_model empty;
  empty.metrics_enabled(with_metrics);
  hub.restore(std::move(empty));
  auto cpu = process_cpu_seconds();
  auto t = clock_type::now();
  auto done = rebuild_projections(log, hub);
  auto secs = seconds_since(t);
  cpu = process_cpu_seconds() - cpu;
  if (!done)
    throw std::runtime_error("rebuild failed: " + message_of(done.error()));
  applied = *done;
  return {double(*done) / secs, cpu * 1e6 / double(*done)};
}

// The best of two figures: the faster rebuild, the cheaper CPU.
void keep_best(rebuild_figures& best, const rebuild_figures& r) {
  best.events_per_second = std::max(best.events_per_second, r.events_per_second);
  best.cpu_us_per_event = best.cpu_us_per_event == 0
                            ? r.cpu_us_per_event
                            : std::min(best.cpu_us_per_event, r.cpu_us_per_event);
}

}  // namespace

int bench_metrics(const std::vector<std::string>& args) {
  flags f(args);
  scratch_dir dir(f.text("--dir", ""));
  auto data = dir.sub("data");
  log_shape shape;
  shape.projects = 1;
  shape.tasks_per_project = int(f.integer("--tasks", 100000));
  shape.completed_per_project = shape.tasks_per_project / 2;
  shape.heartbeats = 1;
  auto queries = int(f.integer("--queries", 2000));
  auto rounds = int(f.integer("--rounds", 2));
  generated_log made;
  {
    auto log = event_log::open(data);
    if (!log) {
      std::cerr << "cannot open " << data << ": " << message_of(log.error()) << "\n";
      return 1;
    }
    made = generate_log(**log, shape);
  }
  auto log = event_log::open(data, true);
  if (!log) {
    std::cerr << "cannot reopen " << data << ": " << message_of(log.error()) << "\n";
    return 1;
  }
  // Alternate the two rebuilds so the page cache and the allocator treat them alike; keep the
  // best of each.
  uint64_t applied = 0;
  rebuild_figures with, without;
  rebuild_once(**log, false, applied);  // warm-up: the log into the page cache
  for (int r = 0; r < rounds; ++r) {
    keep_best(without, rebuild_once(**log, false, applied));
    keep_best(with, rebuild_once(**log, true, applied));
  }

  projection_hub hub;
  if (auto done = rebuild_projections(**log, hub); !done) {
    std::cerr << "rebuild failed: " << message_of(done.error()) << "\n";
    return 1;
  }
  auto project = made.projects.front();
  std::vector<double> micros;
  micros.reserve(size_t(queries));
  size_t bytes = 0;
  for (int i = 0; i < queries; ++i) {
    auto t = clock_type::now();
    auto text = hub.read([&](const read_model& m) {
      auto* p = m.metrics().project(project);
      return json::serialize(json::object{{"version", "1.0"},
                                          {"metrics", m.metrics().summary(*p, system_now().micros)}});
    });
    micros.push_back(seconds_since(t) * 1e6);
    bytes = text.size();
  }
  std::sort(micros.begin(), micros.end());
  auto pick = [&](double q) { return micros[std::min(micros.size() - 1, size_t(q * double(micros.size())))]; };
  double cost = 1 - with.events_per_second / without.events_per_second;
  double cpu_cost = with.cpu_us_per_event / without.cpu_us_per_event - 1;
  json::object out{{"bench", "metrics"},
                   {"tasks", shape.tasks_per_project},
                   {"events", applied},
                   {"rebuild_events_per_second_without_metrics", without.events_per_second},
                   {"rebuild_events_per_second_with_metrics", with.events_per_second},
                   {"metrics_rebuild_cost_share", cost},
                   {"rebuild_cpu_us_per_event_without_metrics", without.cpu_us_per_event},
                   {"rebuild_cpu_us_per_event_with_metrics", with.cpu_us_per_event},
                   {"metrics_rebuild_cpu_cost_share", cpu_cost},
                   {"summary_queries", queries},
                   {"summary_bytes", bytes},
                   {"summary_p50_us", pick(0.50)},
                   {"summary_p99_us", pick(0.99)},
                   {"summary_max_us", micros.back()}};
  std::printf("project of %d tasks, %llu events\n", shape.tasks_per_project,
              (unsigned long long)applied);
  std::printf("projection rebuild  %10.0f events/s without metrics, %10.0f with (cost %.1f %%)\n",
              without.events_per_second, with.events_per_second, cost * 100);
  std::printf("rebuild CPU         %10.2f us/event without metrics, %10.2f with (cost %.1f %%)\n",
              without.cpu_us_per_event, with.cpu_us_per_event, cpu_cost * 100);
  std::printf("metrics summary     p50 %.1f us, p99 %.1f us, max %.1f us (%zu bytes)\n",
              pick(0.50), pick(0.99), micros.back(), bytes);
  std::cout << json::serialize(out) << "\n";
  return 0;
}

}  // namespace tascade::bench

// `tascade bench log`: durable appends through the real log writer (group commit on) with 1, 8
// and 64 concurrent writers, each a CAF actor that appends one event and waits for it to be
// durable before the next (as a task actor does). With --baseline, a plain RocksDB loop writes
// synced WriteBatches of the same sizes and keys, the ceiling the writer is compared with.

#include "tools/bench/bench_commands.hpp"
#include "tools/bench/flags.hpp"
#include "tools/bench/histogram.hpp"
#include "tools/bench/scratch_dir.hpp"

#include "events/codec/payload_codec.hpp"
#include "events/event_log.hpp"
#include "events/log_writer.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <caf/all.hpp>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

namespace tascade::bench {

namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

namespace {

struct shared_figures {
  std::mutex mutex;
  histogram commit_latency;
  uint64_t events = 0;
  uint64_t errors = 0;
  std::atomic<int> running{0};
};

new_event heartbeat_event(const std::string& stream, uint64_t version) {
  events::lease_renewed ev;
  ev.task = task_id::random();
  ev.project = project_id::random();
  ev.lease = uuid::random();
  ev.fencing = 1;
  ev.expires_at = system_now();
  new_event e;
  e.stream = stream;
  e.version = version;
  e.type = std::string(events::lease_renewed::type);
  e.time = system_now();
  e.principal = "bench";
  e.payload = events::encode_payload(events::event{ev});
  return e;
}

struct appender {
  caf::event_based_actor* self;
  caf::actor writer;
  std::string stream;
  clock_type::time_point deadline;
  std::shared_ptr<shared_figures> figures;
  histogram latency;
  uint64_t version = 0;

  void next() {
    if (clock_type::now() >= deadline)
      return finish();
    auto t0 = clock_type::now();
    std::vector<new_event> evs{heartbeat_event(stream, version + 1)};
    self->request(writer, caf::infinite, append_atom::value, std::move(evs))
      .then(
        [this, t0](std::vector<event_record>&) {
          latency.record(uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(
                                    clock_type::now() - t0)
                                    .count()));
          ++version;
          next();
        },
        [this](caf::error&) {
          std::lock_guard lock(figures->mutex);
          ++figures->errors;
          finish();
        });
  }
  void finish() {
    {
      std::lock_guard lock(figures->mutex);
      figures->commit_latency.merge(latency);
      figures->events += version;
    }
    --figures->running;
    self->quit();
  }
};

caf::behavior appender_actor(caf::event_based_actor* self, caf::actor writer, std::string stream,
                             clock_type::time_point deadline,
                             std::shared_ptr<shared_figures> figures) {
  auto a = std::make_shared<appender>(appender{self, writer, stream, deadline, figures, {}, 0});
  a->next();
  return {[a](caf::unit_t) {}};
}

struct run_result {
  double events_per_second = 0;
  double mean_batch = 0;
  histogram latency;
  uint64_t errors = 0;
};

run_result run_writer(const std::string& dir, int writers, double seconds) {
  auto log = event_log::open(dir);
  if (!log)
    throw std::runtime_error("cannot open the log: " + message_of(log.error()));
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", size_t(2));
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  cfg.set("logger.verbosity", caf::atom("quiet"));
  run_result out;
  {
    caf::actor_system sys{cfg};
    auto batches = std::make_shared<std::atomic<uint64_t>>(0);
    auto writer = sys.spawn<caf::detached>(log_writer_behavior, log->get(),
                                           commit_listener{[batches](const auto&) { ++*batches; }});
    auto figures = std::make_shared<shared_figures>();
    figures->running = writers;
    auto start = clock_type::now();
    auto deadline = start + std::chrono::duration_cast<clock_type::duration>(
                              std::chrono::duration<double>(seconds));
    for (int i = 0; i < writers; ++i)
      sys.spawn(appender_actor, writer, "task:bench-" + std::to_string(i), deadline, figures);
    while (figures->running > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto secs = std::chrono::duration<double>(clock_type::now() - start).count();
    caf::anon_send_exit(writer, caf::exit_reason::user_shutdown);
    out.events_per_second = double(figures->events) / secs;
    out.mean_batch = *batches ? double(figures->events) / double(*batches) : 0;
    out.latency = figures->commit_latency;
    out.errors = figures->errors;
  }
  return out;
}

// The same keys and bytes as the log writes for a batch of `batch` one-event commands: the
// event, its stream index entry, and the head; one synced Write per batch.
double run_baseline(const std::string& dir, int batch, double seconds, size_t value_size) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  std::vector<rocksdb::ColumnFamilyDescriptor> families{
    {rocksdb::kDefaultColumnFamilyName, {}}, {"events", {}}, {"streams", {}}, {"meta", {}}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  auto status = rocksdb::DB::Open(options, dir, families, &handles, &raw);
  if (!status.ok())
    throw std::runtime_error("cannot open RocksDB: " + status.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string value(value_size, 'x');
  rocksdb::WriteOptions sync;
  sync.sync = true;
  uint64_t seq = 0;
  auto start = clock_type::now();
  auto deadline = start + std::chrono::duration_cast<clock_type::duration>(
                            std::chrono::duration<double>(seconds));
  while (clock_type::now() < deadline) {
    rocksdb::WriteBatch b;
    for (int i = 0; i < batch; ++i) {
      ++seq;
      b.Put(handles[1], seq_key(seq), value);
      b.Put(handles[2], stream_key("task:bench-" + std::to_string(i), seq), seq_key(seq));
    }
    b.Put(handles[3], "head", seq_key(seq) + std::string(32, 'h'));
    if (auto s = db->Write(sync, &b); !s.ok())
      throw std::runtime_error("RocksDB write failed: " + s.ToString());
  }
  auto rate = double(seq) / std::chrono::duration<double>(clock_type::now() - start).count();
  for (auto* h : handles)
    db->DestroyColumnFamilyHandle(h);
  return rate;
}

size_t stored_event_size(const std::string& dir) {
  auto log = event_log::open(dir, true);
  if (!log)
    return 300;
  uint64_t bytes = 0, n = 0;
  (void)(*log)->scan(1, std::min<uint64_t>((*log)->head(), 1000),
                     [&](global_seq, std::string_view b) {
                       bytes += b.size();
                       ++n;
                       return true;
                     });
  return n ? size_t(bytes / n) : 300;
}

}  // namespace

int bench_log(const std::vector<std::string>& args) {
  flags f(args, {"--baseline"});
  auto counts = f.integers("--writers", {1, 8, 64});
  double seconds = double(f.integer("--duration", 5));
  bool baseline = f.has("--baseline");
  scratch_dir dir(f.text("--dir", ""));
  json::array rows;
  std::printf("%-8s %12s %10s %9s %9s %9s %9s %14s %8s\n", "writers", "events_per_s",
              "mean_batch", "p50_us", "p90_us", "p99_us", "max_us", "rocksdb_per_s", "ratio");
  for (size_t run = 0; run < counts.size(); ++run) {
    auto n = counts[run];
    auto where = dir.sub("log-" + std::to_string(run));
    auto r = run_writer(where, int(n), seconds);
    json::object row{{"writers", n},
                     {"events_per_second", r.events_per_second},
                     {"mean_batch", r.mean_batch},
                     {"p50_us", r.latency.percentile(0.5)},
                     {"p90_us", r.latency.percentile(0.9)},
                     {"p99_us", r.latency.percentile(0.99)},
                     {"max_us", r.latency.max()},
                     {"errors", r.errors}};
    double plain = 0;
    if (baseline) {
      // Batches as large as the writer's mean batch: the same work per fsync.
      int batch = std::max(1, int(r.mean_batch + 0.5));
      plain = run_baseline(dir.sub("plain-" + std::to_string(run)), batch, seconds,
                           stored_event_size(where));
      row["rocksdb_events_per_second"] = plain;
      row["rocksdb_batch"] = batch;
      row["ratio"] = plain > 0 ? r.events_per_second / plain : 0.0;
    }
    std::printf("%-8lld %12.0f %10.1f %9llu %9llu %9llu %9llu %14.0f %8.2f\n", n,
                r.events_per_second, r.mean_batch,
                (unsigned long long)r.latency.percentile(0.5),
                (unsigned long long)r.latency.percentile(0.9),
                (unsigned long long)r.latency.percentile(0.99),
                (unsigned long long)r.latency.max(), plain,
                plain > 0 ? r.events_per_second / plain : 0.0);
    rows.push_back(row);
    if (r.errors)
      return 1;
  }
  std::cout << json::serialize(json::object{{"bench", "log"}, {"runs", rows}}) << "\n";
  return 0;
}

}  // namespace tascade::bench

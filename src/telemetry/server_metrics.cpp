#include "telemetry/server_metrics.hpp"

#include <cstdio>

namespace tascade {

namespace {

const std::initializer_list<double> latency_bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                    0.005,  0.01,    0.025,  0.05,  0.1,
                                                    0.25,   0.5,     1,      2.5,   10};

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

histogram::histogram(std::initializer_list<double> bounds) {
  for (auto b : bounds)
    if (n_ < max_bounds)
      bounds_[n_++] = b;
}

histogram::histogram(const histogram& other) : bounds_(other.bounds_), n_(other.n_) {
  for (size_t i = 0; i <= max_bounds; ++i)
    counts_[i].store(other.counts_[i].load());
  sum_micro_.store(other.sum_micro_.load());
}

void histogram::observe(double value) {
  size_t i = 0;
  while (i < n_ && value > bounds_[i])
    ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micro_.fetch_add(uint64_t(value * 1e6), std::memory_order_relaxed);
}

void histogram::render(std::string& out, const std::string& name,
                       const std::string& labels) const {
  uint64_t cumulative = 0;
  auto sep = labels.empty() ? "" : ",";
  for (size_t i = 0; i <= n_; ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    out += name + "_bucket{" + labels + sep + "le=\"" +
           (i == n_ ? std::string("+Inf") : number(bounds_[i])) + "\"} " +
           std::to_string(cumulative) + '\n';
  }
  auto braces = labels.empty() ? std::string() : "{" + labels + "}";
  out += name + "_sum" + braces + ' ' +
         number(double(sum_micro_.load(std::memory_order_relaxed)) / 1e6) + '\n';
  out += name + "_count" + braces + ' ' + std::to_string(cumulative) + '\n';
}

server_metrics::server_metrics()
    : batch_sizes_{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096},
      fsync_seconds_(latency_bounds),
      checkpoint_seconds_{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60} {}

server_metrics& server_metrics::global() {
  static server_metrics instance;
  return instance;
}

void server_metrics::request(const std::string& operation, int status, double seconds) {
  std::lock_guard lock{requests_mutex_};
  ++requests_[{operation, status}];
  auto it = latencies_.find(operation);
  if (it == latencies_.end())
    it = latencies_.emplace(operation, histogram(latency_bounds)).first;
  it->second.observe(seconds);
}

void server_metrics::batch(size_t events, double fsync_seconds) {
  events_appended_.fetch_add(events, std::memory_order_relaxed);
  batches_.fetch_add(1, std::memory_order_relaxed);
  batch_sizes_.observe(double(events));
  fsync_seconds_.observe(fsync_seconds);
}

void server_metrics::checkpoint(double seconds) { checkpoint_seconds_.observe(seconds); }

std::string server_metrics::exposition(int64_t live_actors) const {
  std::string out;
  header(out, "tascade_requests_total", "counter", "Requests answered, by operation and status.");
  {
    std::lock_guard lock{requests_mutex_};
    for (auto& [key, n] : requests_)
      out += "tascade_requests_total{operation=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(n) + '\n';
    header(out, "tascade_request_duration_seconds", "histogram",
           "Time from validation to outcome, by operation.");
    for (auto& [op, h] : latencies_)
      h.render(out, "tascade_request_duration_seconds", "operation=\"" + op + "\"");
  }
  header(out, "tascade_log_batch_events", "histogram", "Events per durable log-writer batch.");
  batch_sizes_.render(out, "tascade_log_batch_events", "");
  header(out, "tascade_log_fsync_seconds", "histogram", "Synced write time of each batch.");
  fsync_seconds_.render(out, "tascade_log_fsync_seconds", "");
  header(out, "tascade_events_appended_total", "counter", "Events appended to the log.");
  out += "tascade_events_appended_total " + std::to_string(events_appended_.load()) + '\n';
  header(out, "tascade_live_actors", "gauge", "Actors running in the actor system.");
  out += "tascade_live_actors " + std::to_string(live_actors) + '\n';
  header(out, "tascade_stream_subscribers", "gauge", "Open event-stream subscriptions.");
  out += "tascade_stream_subscribers " + std::to_string(subscribers_.load()) + '\n';
  header(out, "tascade_stream_cutoffs_total", "counter",
         "Event-stream subscribers cut off for falling behind.");
  out += "tascade_stream_cutoffs_total " + std::to_string(cut_offs_.load()) + '\n';
  header(out, "tascade_lease_expiries_total", "counter", "Leases that expired without heartbeat.");
  out += "tascade_lease_expiries_total " + std::to_string(lease_expiries_.load()) + '\n';
  header(out, "tascade_checkpoint_duration_seconds", "histogram",
         "Read-model checkpoint writes.");
  checkpoint_seconds_.render(out, "tascade_checkpoint_duration_seconds", "");
  return out;
}

}  // namespace tascade

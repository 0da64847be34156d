#pragma once
/// The server's own operating figures for Prometheus (GET /metrics, issue 13): request counts
/// and latencies per operation, log-writer batches and fsync latency, events appended, lease
/// expiries, event-stream subscribers and cut-offs, checkpoint durations. One process-wide
/// registry; every recorder is thread-safe and cheap (atomics, or one short lock per request).

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace tascade {

/// A cumulative histogram with fixed bucket bounds (seconds, or a count for batch sizes).
class histogram {
 public:
  explicit histogram(std::initializer_list<double> bounds);
  histogram(const histogram& other);
  void observe(double value);
  /// Appends `<name>_bucket{le=...}`, `_sum` and `_count` lines with `labels` (may be empty).
  void render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  static constexpr size_t max_bounds = 16;
  std::array<double, max_bounds> bounds_{};
  size_t n_ = 0;
  std::array<std::atomic<uint64_t>, max_bounds + 1> counts_{};
  std::atomic<uint64_t> sum_micro_{0};  ///< sum × 1e6, so it stays an integer
};

class server_metrics {
 public:
  static server_metrics& global();

  /// One answered request: operation name, HTTP status, seconds from validation to outcome.
  void request(const std::string& operation, int status, double seconds);
  /// One durable log-writer batch: events in it and seconds its synced write took.
  void batch(size_t events, double fsync_seconds);
  void lease_expired() { lease_expiries_.fetch_add(1, std::memory_order_relaxed); }
  void subscriber_opened() { subscribers_.fetch_add(1, std::memory_order_relaxed); }
  void subscriber_closed() { subscribers_.fetch_sub(1, std::memory_order_relaxed); }
  void subscriber_cut_off() { cut_offs_.fetch_add(1, std::memory_order_relaxed); }
  void checkpoint(double seconds);

  /// The text exposition format (version 0.0.4); `live_actors` comes from the actor system.
  std::string exposition(int64_t live_actors) const;

 private:
  server_metrics();

  mutable std::mutex requests_mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, histogram> latencies_;
  histogram batch_sizes_;
  histogram fsync_seconds_;
  histogram checkpoint_seconds_;
  std::atomic<uint64_t> events_appended_{0};
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> lease_expiries_{0};
  std::atomic<int64_t> subscribers_{0};
  std::atomic<uint64_t> cut_offs_{0};
};

}  // namespace tascade

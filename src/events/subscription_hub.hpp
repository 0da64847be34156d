#pragma once
/// Live fan-out of committed events to subscribers (the event stream, issue 6).
///
/// The log writer publishes each durable batch, in global order. Every subscriber has a
/// bounded queue: publishing only appends to queues and never waits for a subscriber, so a
/// slow one cannot slow writers. A queue that would overflow is marked and emptied instead;
/// its subscriber is then cut off and told the cursor to resume from.

#include "tascade/event_record.hpp"

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tascade {

/// One event as subscribers receive it: serialised once, shared by every queue.
struct published_event {
  global_seq seq = 0;
  std::string type;
  std::string project;  ///< project UUID; empty for events of no project (the keyring)
  std::string json;     ///< the JSON-line form (`to_json_line`)
};
using event_ptr = std::shared_ptr<const published_event>;

/// The subscriber form of a stored event.
event_ptr publish_form(const event_record& rec);

/// Which events a subscriber wants.
struct event_filter {
  std::optional<std::string> project;  ///< only this project's events
  std::vector<std::string> types;      ///< only these types (empty = all)
  bool matches(const published_event& e) const;
};

/// A subscriber's end: its queue of live events.
class subscription {
 public:
  subscription(event_filter filter, size_t limit, std::function<void()> wake)
      : filter_(std::move(filter)), limit_(limit), wake_(std::move(wake)) {}

  /// Events with a sequence above this come through the queue; older ones are in the log.
  global_seq live_from() const { return live_from_; }
  const event_filter& filter() const { return filter_; }

  /// Moves the queued events into `out`. False once the queue has overflowed: the subscriber
  /// must stop (what it already sent is its resume cursor).
  bool drain(std::vector<event_ptr>& out);

 private:
  friend class subscription_hub;
  void offer(const std::vector<event_ptr>& batch);  // publisher side

  event_filter filter_;
  size_t limit_;
  std::function<void()> wake_;
  global_seq live_from_ = 0;
  std::mutex mutex_;
  std::deque<event_ptr> queue_;
  bool overflowed_ = false;
  std::atomic<bool> wake_pending_{false};
};

class subscription_hub {
 public:
  /// `queue_limit`: events a subscriber may have waiting before it is cut off.
  explicit subscription_hub(size_t queue_limit = 10000) : queue_limit_(queue_limit) {}

  /// The sequence already in the log when publishing starts (the log head at start-up).
  void start_at(global_seq head);

  /// Registers a subscriber; `wake` is called (on the publisher's thread, so it must only post
  /// work elsewhere) when events arrive in an empty queue or the queue overflows.
  std::shared_ptr<subscription> subscribe(event_filter filter, std::function<void()> wake);
  void unsubscribe(const std::shared_ptr<subscription>& sub);

  /// Called by the log writer with each durable batch, in global order.
  void publish(const std::vector<event_record>& batch);

  size_t subscribers() const;
  size_t queue_limit() const { return queue_limit_; }

 private:
  size_t queue_limit_;
  mutable std::mutex mutex_;
  global_seq published_ = 0;
  std::vector<std::shared_ptr<subscription>> subscribers_;
};

}  // namespace tascade

#pragma once
/// One subscriber's view of the event stream: the events after a cursor, first caught up from
/// the log, then live from the hub, in global order with no gap and no duplicate across the
/// switch. It subscribes before reading the log, so nothing published meanwhile is missed;
/// live events at or below what the log already gave are dropped.

#include "events/event_log.hpp"
#include "events/subscription_hub.hpp"

#include <functional>
#include <memory>
#include <vector>

namespace tascade {

class event_feed {
 public:
  /// Events after `after` that match `filter`. `wake` is called (from the writer's thread:
  /// it must only post) when live events arrive while the feed is idle.
  event_feed(const event_log& log, subscription_hub& hub, event_filter filter, global_seq after,
             std::function<void()> wake);
  ~event_feed();
  event_feed(const event_feed&) = delete;
  event_feed& operator=(const event_feed&) = delete;

  enum class status {
    events,   ///< `out` holds the next events
    idle,     ///< nothing now: wait for `wake`
    cut_off,  ///< the subscriber fell too far behind: stop, and tell it `cursor()`
    failed,   ///< the log could not be read
  };
  /// The next events (at most `max`).
  status next(std::vector<event_ptr>& out, size_t max);

  /// The sequence up to which the subscriber has been given every matching event: where it
  /// resumes (`Last-Event-ID` or `?after=`).
  global_seq cursor() const { return cursor_; }

 private:
  const event_log& log_;
  subscription_hub& hub_;
  std::shared_ptr<subscription> sub_;
  global_seq cursor_;
  std::vector<event_ptr> pending_;  ///< drained live events not handed out yet
  size_t pending_at_ = 0;
};

}  // namespace tascade

#include "events/event_feed.hpp"

#include "events/codec/envelope_codec.hpp"

#include <spdlog/spdlog.h>

namespace tascade {

namespace {
// Log records examined per call while catching up, so one call never holds a thread long.
constexpr global_seq scan_step = 2000;
}  // namespace

event_feed::event_feed(const event_log& log, subscription_hub& hub, event_filter filter,
                       global_seq after, std::function<void()> wake)
    : log_(log), hub_(hub), sub_(hub.subscribe(std::move(filter), std::move(wake))),
      cursor_(after) {}

event_feed::~event_feed() { hub_.unsubscribe(sub_); }

event_feed::status event_feed::next(std::vector<event_ptr>& out, size_t max) {
  out.clear();
  // Catching up: read the log between the cursor and the first live event.
  while (cursor_ < sub_->live_from() && out.size() < max) {
    auto to = std::min(sub_->live_from(), cursor_ + scan_step);
    global_seq last = cursor_;
    bool broken = false;
    auto scanned = log_.scan(cursor_ + 1, to, [&](global_seq seq, std::string_view bytes) {
      auto rec = events::decode_record(bytes);
      if (!rec) {
        broken = true;
        return false;
      }
      last = seq;
      auto e = publish_form(*rec);
      if (sub_->filter().matches(*e))
        out.push_back(std::move(e));
      return out.size() < max;
    });
    if (!scanned || broken) {
      spdlog::warn("event stream: cannot read the log after {}", cursor_);
      return status::failed;
    }
    if (last == cursor_) {
      spdlog::warn("event stream: the log has no event after {}", cursor_);
      return status::failed;
    }
    cursor_ = last;
  }
  if (!out.empty())
    return status::events;
  // Live: what the hub queued, minus what the log already gave.
  if (pending_at_ >= pending_.size()) {
    pending_.clear();
    pending_at_ = 0;
    if (!sub_->drain(pending_))
      return status::cut_off;
  }
  while (pending_at_ < pending_.size() && out.size() < max) {
    auto& e = pending_[pending_at_++];
    if (e->seq <= cursor_)
      continue;
    cursor_ = e->seq;
    out.push_back(std::move(e));
  }
  return out.empty() ? status::idle : status::events;
}

}  // namespace tascade

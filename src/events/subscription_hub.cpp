#include "events/subscription_hub.hpp"

#include "telemetry/server_metrics.hpp"

#include "events/log_dump.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace tascade {

event_ptr publish_form(const event_record& rec) {
  auto e = std::make_shared<published_event>();
  e->seq = rec.seq;
  e->type = rec.type;
  // A project's events are its own stream and every event whose payload names it (the same
  // rule as `tascade replay dump --project`).
  static constexpr std::string_view prefix = "project:";
  if (rec.stream.compare(0, prefix.size(), prefix) == 0)
    e->project = rec.stream.substr(prefix.size());
  else if (auto* pid = rec.payload.if_contains("project_id"); pid && pid->is_string())
    e->project = std::string(pid->get_string());
  e->json = boost::json::serialize(to_json_line(rec));
  return e;
}

bool event_filter::matches(const published_event& e) const {
  if (project && e.project != *project)
    return false;
  return types.empty() || std::find(types.begin(), types.end(), e.type) != types.end();
}

bool subscription::drain(std::vector<event_ptr>& out) {
  wake_pending_.store(false);
  std::lock_guard lock(mutex_);
  if (overflowed_)
    return false;
  out.insert(out.end(), queue_.begin(), queue_.end());
  queue_.clear();
  return true;
}

void subscription::offer(const std::vector<event_ptr>& batch) {
  bool notify = false;
  {
    std::lock_guard lock(mutex_);
    if (overflowed_)
      return;
    for (auto& e : batch) {
      if (!filter_.matches(*e))
        continue;
      if (queue_.size() >= limit_) {
        overflowed_ = true;
        server_metrics::global().subscriber_cut_off();
        queue_.clear();  // the subscriber resumes from the log; free the memory now
        notify = true;
        break;
      }
      queue_.push_back(e);
      notify = true;
    }
  }
  if (notify && !wake_pending_.exchange(true))
    wake_();
}

void subscription_hub::start_at(global_seq head) {
  std::lock_guard lock(mutex_);
  published_ = std::max(published_, head);
}

std::shared_ptr<subscription> subscription_hub::subscribe(event_filter filter,
                                                          std::function<void()> wake) {
  auto sub = std::make_shared<subscription>(std::move(filter), queue_limit_, std::move(wake));
  std::lock_guard lock(mutex_);
  sub->live_from_ = published_;
  subscribers_.push_back(sub);
  server_metrics::global().subscriber_opened();
  return sub;
}

void subscription_hub::unsubscribe(const std::shared_ptr<subscription>& sub) {
  std::lock_guard lock(mutex_);
  if (std::erase(subscribers_, sub) > 0)
    server_metrics::global().subscriber_closed();
}

void subscription_hub::publish(const std::vector<event_record>& batch) {
  if (batch.empty())
    return;
  std::lock_guard lock(mutex_);
  published_ = std::max(published_, batch.back().seq);
  if (subscribers_.empty())
    return;  // nobody listens: do not even serialise
  std::vector<event_ptr> forms;
  forms.reserve(batch.size());
  for (auto& rec : batch)
    forms.push_back(publish_form(rec));
  for (auto& sub : subscribers_)
    sub->offer(forms);
}

size_t subscription_hub::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace tascade

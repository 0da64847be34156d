#include "actors/denial_window.hpp"

#include <algorithm>

namespace tascade {

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

events::auth_denied denial_window::rest_of(const open_window& w) const {
  auto e = w.first;
  e.count = w.more;
  return e;
}

std::vector<events::auth_denied> denial_window::add(const denial& d, timestamp now) {
  auto start = now.micros - (now.micros % length_ + length_) % length_;
  kind k{d.key_id, d.endpoint, d.reason};
  std::vector<events::auth_denied> out;
  if (auto it = open_.find(k); it != open_.end()) {
    if (it->second.start == start) {
      ++it->second.more;
      return out;
    }
    if (it->second.more > 0)
      out.push_back(rest_of(it->second));  // its window closed before anyone closed it
  }
  events::auth_denied e;
  e.project = d.project;
  e.key_id = d.key_id;
  e.key_name = d.key_name;
  e.key_project = d.key_project;
  e.reason = d.reason;
  e.endpoint = d.endpoint;
  e.caller_roles = sorted(d.caller_roles);
  e.required_roles = sorted(d.required_roles);
  e.task = d.task;
  e.count = 1;
  e.window_start = timestamp{start};
  e.window_end = timestamp{start + length_};
  open_[k] = open_window{start, e, 0};
  out.push_back(std::move(e));
  return out;
}

std::vector<events::auth_denied> denial_window::close(timestamp now, bool everything) {
  std::vector<events::auth_denied> out;
  for (auto it = open_.begin(); it != open_.end();) {
    if (everything || it->second.start + length_ <= now.micros) {
      if (it->second.more > 0)
        out.push_back(rest_of(it->second));
      it = open_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::optional<timestamp> denial_window::next_close() const {
  std::optional<timestamp> out;
  for (auto& [k, w] : open_)
    if (w.more > 0 && (!out || w.start + length_ < out->micros))
      out = timestamp{w.start + length_};
  return out;
}

}  // namespace tascade

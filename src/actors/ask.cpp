#include "actors/ask.hpp"

namespace tascade {

namespace {

void fail_all(bridge_ptr self, const caf::actor_addr* dest) {
  auto& pending = self->state.pending;
  for (auto it = pending.begin(); it != pending.end();) {
    if (dest && it->second.dest != *dest) {
      ++it;
      continue;
    }
    auto on_error = std::move(it->second.on_error);
    it = pending.erase(it);
    caf::error gone = caf::sec::request_receiver_down;  // one each: a callback may take it
    on_error(gone);
  }
}

caf::behavior bridge_behavior(bridge_ptr self) {
  self->set_down_handler([self](caf::down_msg& down) {
    self->state.watched.erase(down.source);
    fail_all(self, &down.source);
  });
  self->set_exit_handler([self](caf::exit_msg& msg) {
    fail_all(self, nullptr);
    self->quit(msg.reason);
  });
  return {[self](ask_job& job) { job.send(self); }};
}

}  // namespace

uint64_t owe(bridge_ptr self, const caf::actor& dest, std::function<void(caf::error&)> on_error) {
  auto addr = dest.address();
  if (self->state.watched.insert(addr).second)
    self->monitor(dest);
  auto id = self->state.next_id++;
  self->state.pending.emplace(id, bridge_state::owed{std::move(addr), std::move(on_error)});
  return id;
}

bool settle(bridge_ptr self, uint64_t id) { return self->state.pending.erase(id) > 0; }

void fail(bridge_ptr self, uint64_t id, caf::error& err) {
  auto it = self->state.pending.find(id);
  if (it == self->state.pending.end())
    return;
  auto on_error = std::move(it->second.on_error);
  self->state.pending.erase(it);
  on_error(err);
}

asker::asker(caf::actor_system& sys, size_t bridges) {
  for (size_t i = 0; i < std::max<size_t>(bridges, 1); ++i)
    bridges_.push_back(sys.spawn(bridge_behavior));
}

asker::~asker() { stop(); }

void asker::stop() {
  for (auto& b : bridges_)
    caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
}

const caf::actor& asker::next_bridge() {
  return bridges_[next_.fetch_add(1, std::memory_order_relaxed) % bridges_.size()];
}

}  // namespace tascade

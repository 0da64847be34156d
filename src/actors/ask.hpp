#pragma once
/// Sends requests to actors from outside the actor world without blocking the caller. A few
/// long-lived bridge actors send them and hand each reply to a callback (which runs on a CAF
/// worker; transports post it back to their own executor). A one-shot actor per request, as
/// before, cost more than the request it carried (spawn, monitor, teardown).

#include <caf/actor_system.hpp>
#include <caf/all.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tascade {

/// The requests a bridge has sent and not yet seen answered, by its own id. A destination that
/// stops may never keep a promise it handed on (CAF 0.17 does not break dropped promises), so
/// the bridge watches each destination and fails what it still owes when that one goes down.
struct bridge_state {
  struct owed {
    caf::actor_addr dest;
    std::function<void(caf::error&)> on_error;
  };
  uint64_t next_id = 0;
  std::unordered_map<uint64_t, owed> pending;
  std::unordered_set<caf::actor_addr> watched;
  static inline const char* name = "ask_bridge";
};
using bridge_ptr = caf::stateful_actor<bridge_state>*;

/// A request for a bridge to send: it sends itself.
struct ask_job {
  std::function<void(bridge_ptr)> send;
};

/// Files a request as owed (watching its destination); returns its id.
uint64_t owe(bridge_ptr self, const caf::actor& dest, std::function<void(caf::error&)> on_error);
/// Whether the request is still owed (then no longer): false once its destination went down.
bool settle(bridge_ptr self, uint64_t id);
/// Fails an owed request with `err`.
void fail(bridge_ptr self, uint64_t id, caf::error& err);

class asker {
 public:
  asker(caf::actor_system& sys, size_t bridges);
  ~asker();
  asker(const asker&) = delete;
  asker& operator=(const asker&) = delete;

  /// Sends `msg` to `dest`; exactly one of the callbacks runs, once.
  template <class Reply, class Message>
  void ask(const caf::actor& dest, Message msg, std::function<void(Reply&)> on_reply,
           std::function<void(caf::error&)> on_error) {
    ask_job job{[dest, msg = std::move(msg), on_reply = std::move(on_reply),
                 on_error = std::move(on_error)](bridge_ptr self) mutable {
      auto id = owe(self, dest, std::move(on_error));
      self->request(dest, caf::infinite, std::move(msg))
        .then(
          [self, id, on_reply = std::move(on_reply)](Reply& reply) {
            if (settle(self, id))
              on_reply(reply);
          },
          [self, id](caf::error& err) { fail(self, id, err); });
    }};
    caf::anon_send(next_bridge(), std::move(job));
  }

  /// Stops the bridges; what they still owe fails with `request_receiver_down`.
  void stop();

 private:
  const caf::actor& next_bridge();

  std::vector<caf::actor> bridges_;
  std::atomic<size_t> next_{0};
};

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::ask_job)

#pragma once
/// Sends a request to an actor from outside the actor world without blocking the caller: a
/// one-shot actor waits for the reply and hands it to a callback (which runs on a CAF worker;
/// transports post it back to their own executor).

#include <caf/actor_system.hpp>
#include <caf/all.hpp>

#include <functional>
#include <utility>

namespace tascade {

template <class Reply, class Message>
void ask(caf::actor_system& sys, const caf::actor& dest, Message msg,
         std::function<void(Reply&)> on_reply, std::function<void(caf::error&)> on_error) {
  sys.spawn([dest, msg = std::move(msg), on_reply = std::move(on_reply),
             on_error = std::move(on_error)](caf::event_based_actor* self) mutable {
    // If `dest` stops (shutdown), a promise it handed on may never be kept: CAF 0.17 does not
    // break dropped promises. Give up then, instead of waiting forever.
    self->monitor(dest);
    self->set_down_handler([self, on_error](caf::down_msg&) {
      caf::error gone = caf::sec::request_receiver_down;
      on_error(gone);
      self->quit();
    });
    self->request(dest, caf::infinite, std::move(msg))
      .then(
        [self, on_reply](Reply& reply) {
          on_reply(reply);
          self->quit();
        },
        [self, on_error](caf::error& err) {
          on_error(err);
          self->quit();
        });
  });
}

}  // namespace tascade

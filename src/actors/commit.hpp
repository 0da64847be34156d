#pragma once
/// The one way an actor's decision becomes durable: envelope the events so they continue the
/// actor's stream, append them through the log writer, and only then apply them and answer.
/// `await` keeps later commands in the mailbox until this one is durable, so every decision
/// sees all earlier ones.

#include "actors/commands.hpp"
#include "events/codec/payload_codec.hpp"
#include "events/log_writer.hpp"

#include <caf/all.hpp>

#include <memory>
#include <vector>

namespace tascade {

/// Turns decided events into envelopes that continue `stream` after `version`.
std::vector<new_event> envelopes(const std::string& stream, uint64_t version,
                                 const std::vector<events::event>& evs, const command_meta& meta,
                                 timestamp now);

/// Appends `decided` (or returns its error). `on_durable(records, events)` runs once the log
/// holds them, on the actor, and returns the reply. An empty decision is answered at once
/// with no records.
template <class Actor, class OnDurable>
caf::result<command_done> commit(Actor* self, const caf::actor& writer, const std::string& stream,
                                 uint64_t version,
                                 caf::expected<std::vector<events::event>> decided,
                                 const command_meta& meta, timestamp now, OnDurable on_durable) {
  if (!decided)
    return std::move(decided.error());
  if (decided->empty())
    return command_done{};
  auto evs = std::make_shared<std::vector<events::event>>(std::move(*decided));
  auto rp = self->template make_response_promise<command_done>();
  self->request(writer, caf::infinite, append_atom::value, envelopes(stream, version, *evs, meta, now))
    .await(
      [evs, rp, on_durable](std::vector<event_record>& records) mutable {
        on_durable(records, *evs);
        rp.deliver(command_done{std::move(records)});
      },
      [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

}  // namespace tascade

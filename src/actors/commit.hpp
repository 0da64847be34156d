#pragma once
/// The one way an actor's decision becomes durable: envelope the events so they continue the
/// actor's stream, append them through the log writer, and answer only once they are stored.
///
/// Commands are pipelined. The actor applies a decision's events to its state at once (the
/// state is "speculative": durable plus in flight) and takes its next command without waiting
/// for the log, so commands of one actor that arrive together share one group commit, while
/// every decision still sees all earlier ones. A command is answered only after its batch is
/// durable. The writer stores appends in the order they were sent and checks that each event
/// continues its stream, so if one append fails, every later one of that actor that was decided
/// on top of it fails too (its version no longer continues the stream): no acknowledged write
/// depends on a lost one. The first failure rolls the actor back (`on_rollback` reloads the
/// state from the log); later failures of the same pipeline epoch are already covered by it.
///
/// A refusal or a no-op may be decided against in-flight events; if those then fail to store,
/// the refused client sees an answer about a state the log never held and may simply retry.

#include "actors/commands.hpp"
#include "events/codec/payload_codec.hpp"
#include "events/log_writer.hpp"

#include <caf/all.hpp>

#include <memory>
#include <vector>

namespace tascade {

// The states that commit through here (their rules' `apply` must be visible to the template).
struct project_state;
struct task_aggregate;
struct keyring_state;
void apply(project_state& s, const events::event& ev);
void apply(task_aggregate& t, const events::event& ev);
void apply(keyring_state& s, const events::event& ev);

/// Turns decided events into envelopes that continue `stream` after `version`.
std::vector<new_event> envelopes(const std::string& stream, uint64_t version,
                                 const std::vector<events::event>& evs, const command_meta& meta,
                                 timestamp now);

/// What an actor keeps about its pipelined appends.
struct commit_pipeline {
  uint64_t epoch = 0;      ///< bumped by each rollback; older failures do not roll back again
  uint64_t in_flight = 0;  ///< appends sent and not yet answered
};

/// Appends `decided` (or returns its error) as the continuation of `state` on `stream`, applies
/// the events to `state` at once, and answers once the log holds them. `on_durable(records,
/// events)` runs on the actor when they are durable (side effects: timers, notices, snapshots),
/// before the reply. `on_rollback()` runs on the first failed append of an epoch and must
/// reload `state` from the log. An empty decision is answered at once with no records.
template <class Actor, class State, class OnDurable, class OnRollback>
caf::result<command_done> commit(Actor* self, const caf::actor& writer, const std::string& stream,
                                 State& state, commit_pipeline& pipe,
                                 caf::expected<std::vector<events::event>> decided,
                                 const command_meta& meta, timestamp now, OnDurable on_durable,
                                 OnRollback on_rollback) {
  if (!decided)
    return std::move(decided.error());
  if (decided->empty())
    return command_done{};
  auto evs = std::make_shared<std::vector<events::event>>(std::move(*decided));
  auto batch = envelopes(stream, state.version, *evs, meta, now);
  for (auto& ev : *evs)
    tascade::apply(state, ev);
  auto rp = self->template make_response_promise<command_done>();
  auto epoch = pipe.epoch;
  ++pipe.in_flight;
  auto* p = &pipe;  // lives in the actor's state; handlers only run while the actor lives
  self->request(writer, caf::infinite, append_atom::value, std::move(batch))
    .then(
      [p, evs, rp, on_durable](std::vector<event_record>& records) mutable {
        --p->in_flight;
        on_durable(records, *evs);
        rp.deliver(command_done{std::move(records)});
      },
      [p, epoch, rp, on_rollback](caf::error& err) mutable {
        --p->in_flight;
        if (p->epoch == epoch) {
          ++p->epoch;
          on_rollback();
        }
        rp.deliver(std::move(err));
      });
  return rp;
}

}  // namespace tascade

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
/// A refusal or a no-op decided while appends are in flight is held back until they are
/// answered, so its reply (and what the caller reads from the projections next) never runs
/// ahead of the writes it was decided on. If one of those writes then fails, the refused client
/// saw an answer about a state the log never held and may simply retry; nothing was written on
/// its behalf.

#include "actors/commands.hpp"
#include "events/codec/payload_codec.hpp"
#include "events/log_writer.hpp"

#include <caf/all.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace tascade {

// The states that commit through here (their rules' `apply` must be visible to the template).
struct project_state;
struct task_aggregate;
struct keyring_state;
struct alert_desk_state;
struct plan_state;
void apply(project_state& s, const events::event& ev);
void apply(plan_state& s, const events::event& ev);
void apply(task_aggregate& t, const events::event& ev);
void apply(keyring_state& s, const events::event& ev);
void apply(alert_desk_state& s, const events::event& ev);

/// Turns decided events into envelopes that continue `stream` after `version`.
std::vector<new_event> envelopes(const std::string& stream, uint64_t version,
                                 const std::vector<events::event>& evs, const command_meta& meta,
                                 timestamp now);

/// What an actor keeps about its pipelined appends.
struct commit_pipeline {
  uint64_t epoch = 0;     ///< bumped by each rollback; older failures do not roll back again
  uint64_t sent = 0;      ///< appends sent
  uint64_t answered = 0;  ///< appends answered (the writer answers in order)
  /// Refusals and no-ops decided while appends were in flight, each with the number of appends
  /// that must be answered first: a reply never runs ahead of a write it was decided on.
  std::deque<std::pair<uint64_t, std::function<void()>>> held;

  void answered_one() {
    ++answered;
    while (!held.empty() && held.front().first <= answered) {
      auto reply = std::move(held.front().second);
      held.pop_front();
      reply();
    }
  }
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
  if (!decided || decided->empty()) {
    if (pipe.sent == pipe.answered) {
      if (!decided)
        return std::move(decided.error());
      return command_done{};
    }
    auto rp = self->template make_response_promise<command_done>();
    pipe.held.emplace_back(pipe.sent, [rp, outcome = std::move(decided)]() mutable {
      if (outcome)
        rp.deliver(command_done{});
      else
        rp.deliver(std::move(outcome.error()));
    });
    return rp;
  }
  auto evs = std::make_shared<std::vector<events::event>>(std::move(*decided));
  auto batch = envelopes(stream, state.version, *evs, meta, now);
  for (auto& ev : *evs)
    tascade::apply(state, ev);
  auto rp = self->template make_response_promise<command_done>();
  auto epoch = pipe.epoch;
  ++pipe.sent;
  auto* p = &pipe;  // lives in the actor's state; handlers only run while the actor lives
  self->request(writer, caf::infinite, append_atom::value, std::move(batch))
    .then(
      [p, evs, rp, on_durable](std::vector<event_record>& records) mutable {
        on_durable(records, *evs);
        rp.deliver(command_done{std::move(records)});
        p->answered_one();
      },
      [p, epoch, rp, on_rollback](caf::error& err) mutable {
        if (p->epoch == epoch) {
          ++p->epoch;
          on_rollback();
        }
        rp.deliver(std::move(err));
        p->answered_one();
      });
  return rp;
}

}  // namespace tascade

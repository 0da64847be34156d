#pragma once
/// The log writer: the one actor that appends to the event log, with group commit.
///
/// Every `append` that reaches the mailbox before the writer's next `flush` goes into the same
/// synced WriteBatch, so throughput grows with the number of concurrent writers instead of
/// being bound by fsync latency. A command's reply is sent only after its batch is durable and
/// the commit listener (projections, subscribers) has applied it: read-your-writes.

#include "events/event_log.hpp"
#include "tascade/event_record.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/all.hpp>

#include <functional>
#include <vector>

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<tascade::new_event>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<tascade::event_record>)

namespace tascade {

using append_atom = caf::atom_constant<caf::atom("append")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;

/// Called on the writer's thread with each durable batch, in global order, before replies.
using commit_listener = std::function<void(const std::vector<event_record>&)>;

/// Behaviour of the writer. Spawn it `caf::detached`: it blocks on fsync.
/// Handles `(append_atom, std::vector<new_event>)` → `std::vector<event_record>` (the stored
/// records of that command) or an error (`errc::invariant_violation` when a stream version does
/// not continue its stream, `errc::storage_failure`).
caf::behavior log_writer_behavior(caf::event_based_actor* self, event_log* log,
                                  commit_listener on_commit);

}  // namespace tascade

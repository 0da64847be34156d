#pragma once
/// Read-model checkpoints: the whole read model (every container and index) at one global
/// sequence, so a start applies only the events after it. A checkpoint is a cache: one that is
/// missing, damaged, of another format version or not matching the log is ignored and the
/// projections are rebuilt from event 1. Stored zstd-compressed in the log's snapshots family
/// under the stream `read_model_checkpoint::stream`, keyed by the sequence it reflects.

#include "events/event_log.hpp"
#include "projections/read_model.hpp"

#include <caf/expected.hpp>

#include <string>
#include <string_view>

namespace tascade {

class projection_hub;

struct read_model_checkpoint {
  /// Bump whenever read_model or any view struct changes shape: older checkpoints are skipped.
  static constexpr uint32_t format_version = 4;  // 2: metrics; 3: the planner's plans, cards; 4: metric ids typed
  /// Not a valid stream id of any aggregate (those are "<kind>-<uuid>").
  static constexpr const char* stream = "$read-model";

  /// The model's bytes (uncompressed): header, body, SHA-256 of both. `head_hash` is the hash
  /// of the event at `m.checkpoint()`, checked against the log on load.
  static std::string encode(const read_model& m, const sha256_digest& head_hash);

  struct decoded {
    read_model model;
    sha256_digest head_hash{};
  };
  /// Errors: `errc::invariant_violation` naming what is wrong (format, check, truncation).
  static caf::expected<decoded> decode(std::string_view bytes);

 private:
  /// Calls `fn` on every data member of the model, in the one order encode and decode share.
  template <class Model, class Fn>
  static void members(Model& m, Fn&& fn);
};

/// Encodes the hub's model under its shared lock and stores it, dropping older checkpoints.
/// Returns the sequence it reflects (0 and nothing stored for an empty model).
/// Errors: `errc::storage_failure`.
caf::expected<global_seq> write_checkpoint(event_log& log, const projection_hub& hub);

/// Loads the newest checkpoint into `hub` when it is valid for `log`; returns its sequence, or
/// 0 (with a warning unless there was none) when the projections must start from event 1.
global_seq restore_checkpoint(const event_log& log, projection_hub& hub);

}  // namespace tascade

#include "projections/read_model_checkpoint.hpp"

#include "events/sha256.hpp"
#include "projections/checkpoint_codec.hpp"
#include "projections/projection_hub.hpp"
#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace tascade {

namespace {

constexpr std::string_view magic = "TSCDRMCK";
constexpr size_t digest_size = sizeof(sha256_digest);

}  // namespace

// A project's entry holds an array of sets (the state index), which Boost.PFR cannot walk.
template <>
struct checkpoint_codec::field_list<read_model::project_index> {
  template <class Index, class Fn>
  static void each(Index& i, Fn fn) {
    fn(i.project);
    fn(i.phases_by_sequence);
    fn(i.milestones_by_sequence);
    fn(i.tasks_in_order);
    fn(i.all);
    fn(i.by_state);
    fn(i.by_phase);
    fn(i.by_capability);
    fn(i.edges);
    fn(i.ready);
    fn(i.ready_by_capability);
    fn(i.reserved_for);
    fn(i.gate_rules);
    fn(i.gate_decisions);
    fn(i.changesets);
    fn(i.plan_versions);
  }
};

// The metrics projection's private containers, in one order.
template <>
struct checkpoint_codec::field_list<metrics_projection> {
  template <class Metrics, class Fn>
  static void each(Metrics& m, Fn fn) {
    fn(m.projects_);
    fn(m.projects_in_order_);
    fn(m.tasks_);
    fn(m.alerts_);
  }
};

template <class Model, class Fn>
void read_model_checkpoint::members(Model& m, Fn&& fn) {
  fn(m.checkpoint_);
  fn(m.projects_);
  fn(m.projects_in_order_);
  fn(m.phases_);
  fn(m.milestones_);
  fn(m.tasks_);
  fn(m.tasks_by_short_id_);
  fn(m.edges_);
  fn(m.attempts_);
  fn(m.keys_);
  fn(m.keys_by_hash_);
  fn(m.keys_in_order_);
  fn(m.gate_rules_);
  fn(m.gate_decisions_);
  fn(m.changesets_);
  fn(m.metrics_);
  fn(m.metrics_on_);
  fn(m.plans_);
  fn(m.plans_in_order_);
  fn(m.plans_by_run_);
  fn(m.plan_of_node_);
  fn(m.cards_);
}

std::string read_model_checkpoint::encode(const read_model& m, const sha256_digest& head_hash) {
  checkpoint_codec::writer w;
  w.raw(magic.data(), magic.size());
  w.put(format_version);
  w.put(head_hash);
  members(m, [&](const auto& member) { w.put(member); });
  auto check = sha256(w.bytes());
  w.raw(check.data(), check.size());
  return std::move(w.bytes());
}

caf::expected<read_model_checkpoint::decoded> read_model_checkpoint::decode(
  std::string_view bytes) {
  auto bad = [](const std::string& why) {
    return make_error(errc::invariant_violation, "read-model checkpoint: " + why);
  };
  if (bytes.size() < magic.size() + sizeof(uint32_t) + 2 * digest_size ||
      bytes.substr(0, magic.size()) != magic)
    return bad("not a checkpoint");
  uint32_t version = 0;
  std::memcpy(&version, bytes.data() + magic.size(), sizeof version);
  if (version != format_version)
    return bad("format version " + std::to_string(version) + ", this build reads " +
               std::to_string(format_version));
  auto body = bytes.substr(0, bytes.size() - digest_size);
  auto check = sha256(body);
  if (std::memcmp(check.data(), bytes.data() + body.size(), digest_size) != 0)
    return bad("checksum mismatch");
  decoded out;
  try {
    checkpoint_codec::reader r{body.substr(magic.size() + sizeof version)};
    r.get(out.head_hash);
    members(out.model, [&](auto& member) { r.get(member); });
    if (!r.done())
      return bad("trailing bytes");
  } catch (const std::exception& e) {
    return bad(e.what());
  }
  return out;
}

caf::expected<global_seq> write_checkpoint(event_log& log, const projection_hub& hub) {
  using clock = std::chrono::steady_clock;
  auto started = clock::now();
  std::string bytes;
  global_seq seq = 0;
  caf::error failure;
  auto held = hub.read([&](const read_model& m) {
    auto t0 = clock::now();
    seq = m.checkpoint();
    if (seq == 0)
      return clock::duration{};
    // The model only applies events already in the log: its last one is there to read.
    if (auto rec = log.read(seq))
      bytes = read_model_checkpoint::encode(m, rec->hash);
    else
      failure = std::move(rec.error());
    return clock::now() - t0;
  });
  if (failure)
    return failure;
  if (seq == 0)
    return global_seq{0};
  if (auto ok = log.put_snapshot(read_model_checkpoint::stream, seq, bytes); !ok)
    return std::move(ok.error());
  if (auto ok = log.drop_snapshots_before(read_model_checkpoint::stream, seq); !ok)
    return std::move(ok.error());
  using ms = std::chrono::milliseconds;
  spdlog::info("read-model checkpoint at {} written: {} bytes, {} ms under the shared lock, {} "
               "ms in all",
               seq, bytes.size(), std::chrono::duration_cast<ms>(held).count(),
               std::chrono::duration_cast<ms>(clock::now() - started).count());
  return seq;
}

global_seq restore_checkpoint(const event_log& log, projection_hub& hub) {
  auto fallback = [](const std::string& why) {
    spdlog::warn("read-model checkpoint ignored, rebuilding from event 1: {}", why);
    return global_seq{0};
  };
  auto stored = log.latest_snapshot(read_model_checkpoint::stream);
  if (!stored)
    return fallback(message_of(stored.error()));
  if (!*stored) {
    spdlog::info("no read-model checkpoint: rebuilding from event 1");
    return 0;
  }
  auto decoded = read_model_checkpoint::decode((*stored)->state);
  if (!decoded)
    return fallback(message_of(decoded.error()));
  auto seq = decoded->model.checkpoint();
  if (seq != (*stored)->version || seq == 0)
    return fallback("its sequence does not match its key");
  if (seq > log.head())
    return fallback("it is ahead of the log (" + std::to_string(seq) + " > " +
                    std::to_string(log.head()) + ")");
  auto rec = log.read(seq);
  if (!rec)
    return fallback(message_of(rec.error()));
  if (rec->hash != decoded->head_hash)
    return fallback("the log's event " + std::to_string(seq) + " is not the one it reflects");
  hub.restore(std::move(decoded->model));
  spdlog::info("read-model checkpoint at {} restored", seq);
  return seq;
}

}  // namespace tascade

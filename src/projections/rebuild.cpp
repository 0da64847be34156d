#include "projections/rebuild.hpp"

#include "events/codec/replay_decoder.hpp"
#include "projections/projection_hub.hpp"
#include "tascade/errc.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace tascade {

namespace {

namespace json = boost::json;
using progress_fn = std::function<void(uint64_t, uint64_t)>;

// One thread reads, decodes and applies: small rebuilds (a checkpoint's tail, tests).
caf::expected<uint64_t> rebuild_in_one_thread(const event_log& log, projection_hub& hub,
                                              global_seq from, global_seq total,
                                              const progress_fn& progress) {
  uint64_t applied = 0;
  caf::error failure;
  events::replay_decoder decoder;  // reuses its buffers from one event to the next
  auto scanned = log.scan(from, total, [&](global_seq, std::string_view bytes) {
    auto rec = decoder.decode(bytes);
    if (!rec) {
      failure = std::move(rec.error());
      return false;
    }
    hub.apply(**rec);
    ++applied;
    if (progress && (applied & 0xffff) == 0)
      progress(applied, total);
    return true;
  });
  if (!scanned)
    return std::move(scanned.error());
  if (failure)
    return failure;
  return applied;
}

// A run of consecutive events decoded by a helper thread, waiting to be applied. The records'
// payloads live in the slot's arena, recycled once the batch is applied.
struct batch_slot {
  static constexpr size_t arena_bytes = 4 << 20;
  std::unique_ptr<unsigned char[]> block{new unsigned char[arena_bytes]};
  json::monotonic_resource arena{block.get(), arena_bytes};
  std::vector<event_record> records;
  size_t count = 0;     // records decoded
  caf::error failure;   // why decoding stopped after `count` records, if it did
  uint64_t batch = 0;   // the batch it holds, or is free to take
  bool full = false;

  void recycle() {
    for (size_t i = 0; i < count; ++i) {
      std::destroy_at(&records[i].payload);  // before the arena it lives in is released
      std::construct_at(&records[i].payload);
    }
    count = 0;
    failure = {};
    arena.release();
  }
};

// Reading the log, unpacking envelopes and parsing payload JSON is most of a rebuild and needs
// no order, so helpers do it batch by batch (helper j takes batches j, j + n, ...), into a ring
// of slots, while the caller's thread applies the batches in order (the projections must see
// the log's order). A decoding failure stops the rebuild after the events before it, as in one
// thread.
class parallel_rebuild {
 public:
  parallel_rebuild(const event_log& log, global_seq from, global_seq total, unsigned helpers,
                   uint64_t batch)
      : log_(log), from_(from), total_(total), helpers_(helpers), batch_(batch),
        batches_((total - from + batch) / batch) {
    for (unsigned i = 0; i < 2 * helpers + 2; ++i) {
      slots_.push_back(std::make_unique<batch_slot>());
      slots_.back()->batch = i;
    }
  }

  ~parallel_rebuild() {
    {
      std::lock_guard lock{mutex_};
      stop_ = true;
    }
    changed_.notify_all();
    for (auto& t : threads_)
      t.join();
  }

  caf::expected<uint64_t> run(projection_hub& hub, const progress_fn& progress) {
    for (unsigned j = 0; j < helpers_; ++j)
      threads_.emplace_back([this, j] { decode_batches(j); });
    uint64_t applied = 0;
    for (uint64_t b = 0; b < batches_; ++b) {
      auto& slot = *slots_[b % slots_.size()];
      {
        std::unique_lock lock{mutex_};
        changed_.wait(lock, [&] { return slot.full && slot.batch == b; });
      }
      for (size_t i = 0; i < slot.count; ++i) {
        hub.apply(slot.records[i]);
        if (progress && (++applied & 0xffff) == 0)
          progress(applied, total_);
        else if (!progress)
          ++applied;
      }
      auto failure = std::move(slot.failure);
      slot.recycle();
      {
        std::lock_guard lock{mutex_};
        slot.full = false;
        slot.batch = b + slots_.size();
      }
      changed_.notify_all();
      if (failure)
        return failure;
    }
    return applied;
  }

 private:
  void decode_batches(unsigned j) {
    events::replay_decoder decoder;
    for (uint64_t b = j; b < batches_; b += helpers_) {
      auto& slot = *slots_[b % slots_.size()];
      {
        std::unique_lock lock{mutex_};
        changed_.wait(lock, [&] { return stop_ || (!slot.full && slot.batch == b); });
        if (stop_)
          return;
      }
      // The slot is this thread's until it is marked full.
      auto first = from_ + b * batch_;
      auto last = std::min(first + batch_ - 1, total_);
      json::storage_ptr arena{&slot.arena};
      auto scanned = log_.scan(first, last, [&](global_seq, std::string_view bytes) {
        if (slot.count == slot.records.size())
          slot.records.emplace_back();
        if (auto failure = decoder.decode_into(bytes, slot.records[slot.count], arena)) {
          slot.failure = std::move(failure);
          return false;
        }
        ++slot.count;
        return true;
      });
      if (!scanned && !slot.failure)
        slot.failure = std::move(scanned.error());
      {
        std::lock_guard lock{mutex_};
        slot.full = true;
      }
      changed_.notify_all();
    }
  }

  const event_log& log_;
  global_seq from_, total_;
  unsigned helpers_;
  uint64_t batch_, batches_;
  std::vector<std::unique_ptr<batch_slot>> slots_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

caf::expected<uint64_t> rebuild_projections(const event_log& log, projection_hub& hub,
                                            const progress_fn& progress, rebuild_tuning tuning) {
  auto from = hub.read([](const read_model& m) { return m.checkpoint(); }) + 1;
  auto total = log.head();
  auto batch = std::max<uint64_t>(tuning.batch, 1);
  unsigned helpers = 0;
  if (tuning.decoders)
    helpers = *tuning.decoders;
  else if (total >= from && total - from + 1 >= 16 * batch)
    helpers = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  caf::expected<uint64_t> applied{uint64_t{0}};
  if (helpers == 0 || total < from)
    applied = rebuild_in_one_thread(log, hub, from, total, progress);
  else
    applied = parallel_rebuild(log, from, total, helpers, batch).run(hub, progress);
  if (applied && progress)
    progress(*applied, total);
  return applied;
}

}  // namespace tascade

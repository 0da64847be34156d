#include "events/log_verifier.hpp"

#include "events/codec/envelope_codec.hpp"
#include "events/sha256.hpp"
#include "tascade/errc.hpp"

#include <future>
#include <unordered_map>

namespace tascade {

namespace {

// Events are checked in batches: each event's hash depends only on its own bytes (they carry
// the previous hash), so a batch is hashed on two threads, then checked in order on one.
constexpr size_t batch_size = 8192;

struct chain_checker {
  verify_report& report;
  const std::function<void(uint64_t, uint64_t)>& progress;
  sha256_digest prev{};
  global_seq expected = 1;
  std::unordered_map<std::string, stream_version> versions;
  std::vector<std::pair<global_seq, std::string>> batch;
  std::vector<sha256_digest> hashes;

  bool fail(global_seq seq, std::string why) {
    report.first_bad = seq;
    report.problem = std::move(why);
    return false;
  }

  bool add(global_seq seq, std::string_view bytes) {
    batch.emplace_back(seq, std::string(bytes));
    return batch.size() < batch_size || check_batch();
  }

  bool check_batch() {
    hashes.resize(batch.size());
    auto half = batch.size() / 2;
    auto hash_range = [this](size_t from, size_t to) {
      for (size_t i = from; i < to; ++i)
        hashes[i] = sha256(batch[i].second);
    };
    auto other = std::async(std::launch::async, hash_range, half, batch.size());
    hash_range(0, half);
    other.get();
    for (size_t i = 0; i < batch.size(); ++i)
      if (!check(batch[i].first, batch[i].second, hashes[i]))
        return false;
    batch.clear();
    return true;
  }

  bool check(global_seq seq, std::string_view bytes, const sha256_digest& hash) {
    if (seq != expected)
      return fail(expected, "event " + std::to_string(expected) + " is missing");
    auto rec = events::decode_record(bytes, false, false);
    if (!rec)
      return fail(seq, message_of(rec.error()));
    if (rec->seq != seq)
      return fail(seq, "stored sequence " + std::to_string(rec->seq) + " under key " +
                         std::to_string(seq));
    if (rec->prev_hash != prev)
      return fail(seq, "hash chain broken: previous hash does not match event " +
                         std::to_string(seq - 1));
    auto& version = versions[rec->stream];
    if (rec->version != version + 1)
      return fail(seq, "stream " + rec->stream + " jumps from version " +
                         std::to_string(version) + " to " + std::to_string(rec->version));
    version = rec->version;
    prev = hash;
    ++expected;
    ++report.events;
    if (progress && (report.events & 0xffff) == 0)
      progress(report.events, report.head);
    return true;
  }
};

}  // namespace

verify_report verify_log(const event_log& log,
                         const std::function<void(uint64_t, uint64_t)>& progress) {
  verify_report report;
  report.head = log.head();
  chain_checker checker{report, progress, {}, 1, {}, {}, {}};
  auto scanned = log.scan(1, UINT64_MAX, [&](global_seq seq, std::string_view bytes) {
    return checker.add(seq, bytes);
  });
  if (report.ok() && !checker.batch.empty())
    checker.check_batch();
  if (!scanned) {
    if (report.ok()) {
      report.first_bad = checker.expected;
      report.problem = message_of(scanned.error());
    }
    return report;
  }
  if (report.ok() && report.events != report.head)
    checker.fail(report.events + 1, "head says " + std::to_string(report.head) +
                                      " events, log holds " + std::to_string(report.events));
  else if (report.ok() && checker.prev != log.head_hash())
    checker.fail(report.head, "head hash does not match the last event");
  if (progress)
    progress(report.events, report.head);
  return report;
}

}  // namespace tascade

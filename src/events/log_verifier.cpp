#include "events/log_verifier.hpp"

#include "events/codec/envelope_codec.hpp"
#include "tascade/errc.hpp"

#include <unordered_map>

namespace tascade {

verify_report verify_log(const event_log& log,
                         const std::function<void(uint64_t, uint64_t)>& progress) {
  verify_report report;
  report.head = log.head();
  sha256_digest prev{};
  global_seq expected = 1;
  std::unordered_map<std::string, stream_version> versions;
  auto fail = [&](global_seq seq, std::string why) {
    report.first_bad = seq;
    report.problem = std::move(why);
    return false;
  };
  auto scanned = log.scan(1, UINT64_MAX, [&](global_seq seq, std::string_view bytes) {
    if (seq != expected)
      return fail(expected, "event " + std::to_string(expected) + " is missing");
    auto rec = events::decode_record(bytes, false);
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
    prev = rec->hash;
    ++expected;
    ++report.events;
    if (progress && (report.events & 0xffff) == 0)
      progress(report.events, report.head);
    return true;
  });
  if (!scanned) {
    report.first_bad = expected;
    report.problem = message_of(scanned.error());
    return report;
  }
  if (report.ok() && report.events != report.head)
    fail(report.events + 1, "head says " + std::to_string(report.head) + " events, log holds " +
                              std::to_string(report.events));
  else if (report.ok() && prev != log.head_hash())
    fail(report.head, "head hash does not match the last event");
  if (progress)
    progress(report.events, report.head);
  return report;
}

}  // namespace tascade

#include "events/log_verifier.hpp"

#include "events/codec/envelope_codec.hpp"
#include "events/sha256.hpp"
#include "tascade/errc.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_map>

namespace tascade {

namespace {

// The log is cut into consecutive ranges of global sequence, checked by several threads. Each is
// checked on its own (every link and version step inside it, every hash), and records what its
// first events must agree with; the ranges are then joined in order, which checks the links and
// stream versions that cross from one range into the next. Every event is checked exactly as
// by one pass in order, and the first bad event is the same.

constexpr uint64_t min_events_per_range = 1 << 16;
constexpr unsigned max_threads = 8;
// Several ranges per thread, taken in order as threads come free: a thread that gets less CPU
// (a shared machine) does fewer ranges instead of holding the others up at the end.
constexpr unsigned ranges_per_thread = 4;

struct problem_at {
  global_seq seq = 0;
  std::string what;
};

// One stream's versions inside a range: the first (unchecked until the join) and the last.
struct stream_span {
  global_seq first_seq = 0;
  stream_version first = 0;
  stream_version last = 0;
};

struct string_hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using stream_spans = std::unordered_map<std::string, stream_span, string_hash, std::equal_to<>>;

struct range_check {
  global_seq from = 1;
  global_seq expected = 1;  ///< the next sequence this range must see
  uint64_t events = 0;      ///< events that passed
  std::optional<sha256_digest> first_prev;  ///< the first event's previous-hash field
  sha256_digest last_hash{};
  stream_spans streams;
  std::optional<problem_at> problem;

  bool fail(global_seq seq, std::string why) {
    problem = problem_at{seq, std::move(why)};
    return false;
  }

  bool check(global_seq seq, std::string_view bytes) {
    if (seq != expected)
      return fail(expected, "event " + std::to_string(expected) + " is missing");
    auto env = events::read_envelope(bytes);
    if (!env)
      return fail(seq, message_of(env.error()));
    if (env->seq != seq)
      return fail(seq, "stored sequence " + std::to_string(env->seq) + " under key " +
                         std::to_string(seq));
    if (events == 0) {
      first_prev.emplace();
      std::copy(env->prev_hash.begin(), env->prev_hash.end(), first_prev->begin());
    } else if (!env->prev_hash_is(last_hash)) {
      return fail(seq, "hash chain broken: previous hash does not match event " +
                         std::to_string(seq - 1));
    }
    if (auto it = streams.find(env->stream); it == streams.end()) {
      streams.emplace(std::string(env->stream), stream_span{seq, env->version, env->version});
    } else if (env->version != it->second.last + 1) {
      return fail(seq, "stream " + it->first + " jumps from version " +
                         std::to_string(it->second.last) + " to " +
                         std::to_string(env->version));
    } else {
      it->second.last = env->version;
    }
    last_hash = sha256(bytes);
    ++expected;
    ++events;
    return true;
  }
};

// What the ranges before the current one established, as one pass in order would hold it.
struct joined {
  global_seq expected = 1;
  sha256_digest prev{};
  std::unordered_map<std::string, stream_version, string_hash, std::equal_to<>> versions;

  // The first problem of `r` given everything before it: its own, or one at its border.
  // At equal sequence the order of one pass decides: its own checks (gap, decoding, stored
  // sequence) come before the link to the previous event, which comes before the version.
  std::optional<problem_at> first_problem(const range_check& r) const {
    if (r.events == 0 && !r.problem)
      return std::nullopt;  // an empty range (the log ends before it)
    if (expected != r.from)
      return problem_at{expected, "event " + std::to_string(expected) + " is missing"};
    std::optional<problem_at> best = r.problem;
    auto consider = [&](global_seq seq, auto&& why) {
      if (!best || seq < best->seq)
        best = problem_at{seq, why()};
    };
    if (r.first_prev && *r.first_prev != prev)
      consider(r.from, [&] {
        return "hash chain broken: previous hash does not match event " +
               std::to_string(r.from - 1);
      });
    for (auto& entry : r.streams) {
      auto& stream = entry.first;  // not structured bindings: clang 14 (fuzz build)
                                   // cannot capture those in the lambda below
      auto& span = entry.second;
      auto it = versions.find(stream);
      auto before = it == versions.end() ? stream_version{0} : it->second;
      if (span.first != before + 1)
        consider(span.first_seq, [&] {
          return "stream " + stream + " jumps from version " + std::to_string(before) + " to " +
                 std::to_string(span.first);
        });
    }
    return best;
  }

  void take(const range_check& r) {
    if (r.events == 0)
      return;
    expected = r.expected;
    prev = r.last_hash;
    for (auto& [stream, span] : r.streams) {
      if (auto it = versions.find(stream); it != versions.end())
        it->second = span.last;
      else
        versions.emplace(stream, span.last);
    }
  }
};

unsigned thread_count(global_seq head, unsigned threads) {
  if (threads != 0)
    return threads;
  if (head < 2 * min_events_per_range)
    return 1;
  return std::clamp(std::thread::hardware_concurrency(), 1u, max_threads);
}

}  // namespace

verify_report verify_log(const event_log& log,
                         const std::function<void(uint64_t, uint64_t)>& progress,
                         unsigned threads) {
  verify_report report;
  report.head = log.head();
  auto thread_n = thread_count(report.head, threads);
  auto count = thread_n == 1 ? 1 : thread_n * ranges_per_thread;
  std::vector<range_check> ranges(count);
  std::vector<caf::expected<void>> scanned(count);
  for (unsigned i = 0; i < count; ++i)
    ranges[i].from = ranges[i].expected = 1 + report.head * i / count;
  // A range stops early once an earlier one has failed: its result can no longer matter.
  std::atomic<unsigned> first_failed{count};
  std::atomic<unsigned> next_range{0};
  std::atomic<uint64_t> done{0};
  auto run = [&](unsigned i, bool caller) {
    auto& r = ranges[i];
    auto to = i + 1 < count ? ranges[i + 1].from - 1 : UINT64_MAX;
    uint64_t unreported = 0, blocks = 0;
    scanned[i] = log.scan(r.from, to, [&](global_seq seq, std::string_view bytes) {
      if (!r.check(seq, bytes)) {
        auto f = first_failed.load();
        while (i < f && !first_failed.compare_exchange_weak(f, i)) {
        }
        return false;
      }
      if (++unreported == 4096) {
        auto total = done.fetch_add(unreported) + unreported;
        unreported = 0;
        if (caller && progress && ++blocks % 16 == 0)  // only the caller's thread reports
          progress(total, report.head);
      }
      return first_failed.load(std::memory_order_relaxed) > i;
    });
    done.fetch_add(unreported);
  };
  auto work = [&](bool caller) {
    for (unsigned i; (i = next_range.fetch_add(1)) < count && i < first_failed.load();)
      run(i, caller);
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < thread_n; ++t)
    helpers.emplace_back(work, false);
  work(true);
  for (auto& t : helpers)
    t.join();

  joined state;
  for (unsigned i = 0; i < count; ++i) {
    auto& r = ranges[i];
    if (auto problem = state.first_problem(r)) {
      report.first_bad = problem->seq;
      report.problem = std::move(problem->what);
      report.events = problem->seq - 1;  // every event before the first bad one passed
      return report;
    }
    if (!scanned[i]) {
      report.first_bad = r.events ? r.expected : state.expected;
      report.problem = message_of(scanned[i].error());
      report.events = *report.first_bad - 1;
      return report;
    }
    state.take(r);
    report.events += r.events;
  }
  if (report.events != report.head) {
    report.first_bad = report.events + 1;
    report.problem = "head says " + std::to_string(report.head) + " events, log holds " +
                     std::to_string(report.events);
  } else if (state.prev != log.head_hash()) {
    report.first_bad = report.head;
    report.problem = "head hash does not match the last event";
  }
  if (progress)
    progress(report.events, report.head);
  return report;
}

}  // namespace tascade

// verify_log cuts the log into ranges checked in parallel and joins them in order. Whatever the
// number of threads (and so of ranges: four per thread, up to 80 here for 13 events, so many
// are empty), and wherever the damage falls (inside a range or at a border), the report must be
// the one a single pass in order gives (one thread, one range).

#include "events/codec/envelope_codec.hpp"
#include "events/event_log.hpp"
#include "events/log_verifier.hpp"
#include "events/sha256.hpp"
#include "tascade/errc.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <functional>

namespace tascade {
namespace {

constexpr int log_size = 13;

// Events 1..13 on three streams, interleaved so every range border falls between two streams.
std::unique_ptr<event_log> write_log(const test::temp_dir& dir) {
  auto log = event_log::open(dir.str());
  EXPECT_TRUE(log) << message_of(log.error());
  std::map<std::string, stream_version> versions;
  for (int i = 1; i <= log_size; ++i) {
    new_event e;
    e.stream = "s" + std::to_string(i % 3);
    e.version = ++versions[e.stream];
    e.type = "test_happened";
    e.time = timestamp{1'000'000 * i};
    e.principal = "tester";
    e.payload = {{"n", i}};
    EXPECT_TRUE((*log)->append({{e}})[0]);
  }
  return std::move(*log);
}

// Rewrites events from..13 through `change` and re-chains them, so the only damage is the
// change itself (the head hash is left as it was).
void rewrite(event_log& log, global_seq from, const std::function<void(event_record&)>& change) {
  auto prev = log.read(from - 1);
  sha256_digest link = from > 1 ? prev->hash : sha256_digest{};
  for (global_seq seq = from; seq <= log_size; ++seq) {
    auto rec = log.read(seq);
    ASSERT_TRUE(rec);
    if (seq == from)
      change(*rec);
    rec->prev_hash = link;
    auto bytes = events::encode_record(*rec);
    link = sha256(bytes);
    ASSERT_TRUE(log.db()->Put({}, log.events_family(), seq_key(seq), bytes).ok());
  }
}

void expect_same_for_every_range_count(const event_log& log, const verify_report& one) {
  for (unsigned threads : {2u, 3u, 4u, 5u, 7u, 13u, 20u}) {
    auto many = verify_log(log, {}, threads);
    EXPECT_EQ(many.ok(), one.ok()) << threads << " threads";
    EXPECT_EQ(many.first_bad, one.first_bad) << threads << " threads";
    EXPECT_EQ(many.problem, one.problem) << threads << " threads";
    EXPECT_EQ(many.events, one.events) << threads << " threads";
    EXPECT_EQ(many.head, one.head) << threads << " threads";
  }
}

TEST(LogVerifierRanges, AnIntactLogPassesWithAnyNumberOfRanges) {
  test::temp_dir dir;
  auto log = write_log(dir);
  auto one = verify_log(*log, {}, 1);
  EXPECT_TRUE(one.ok()) << one.problem;
  EXPECT_EQ(one.events, uint64_t(log_size));
  expect_same_for_every_range_count(*log, one);
}

TEST(LogVerifierRanges, ATamperedEventIsFoundWhereverItIs) {
  for (global_seq bad = 1; bad <= log_size; ++bad) {
    test::temp_dir dir;
    auto log = write_log(dir);
    auto rec = log->read(bad);
    ASSERT_TRUE(rec);
    rec->payload["n"] = 999;
    ASSERT_TRUE(
      log->db()->Put({}, log->events_family(), seq_key(bad), events::encode_record(*rec)).ok());
    auto one = verify_log(*log, {}, 1);
    ASSERT_FALSE(one.ok());
    if (bad < log_size) {
      EXPECT_EQ(one.first_bad, bad + 1);
      EXPECT_NE(one.problem.find("hash chain"), std::string::npos) << one.problem;
    } else {
      EXPECT_NE(one.problem.find("head hash"), std::string::npos) << one.problem;
    }
    expect_same_for_every_range_count(*log, one);
  }
}

TEST(LogVerifierRanges, ARemovedEventIsFoundWhereverItIs) {
  for (global_seq gone = 1; gone <= log_size; ++gone) {
    test::temp_dir dir;
    auto log = write_log(dir);
    ASSERT_TRUE(log->db()->Delete({}, log->events_family(), seq_key(gone)).ok());
    auto one = verify_log(*log, {}, 1);
    ASSERT_FALSE(one.ok());
    EXPECT_EQ(one.first_bad, gone);
    expect_same_for_every_range_count(*log, one);
  }
}

TEST(LogVerifierRanges, TwoRemovedEventsReportTheFirst) {
  test::temp_dir dir;
  auto log = write_log(dir);
  ASSERT_TRUE(log->db()->Delete({}, log->events_family(), seq_key(4)).ok());
  ASSERT_TRUE(log->db()->Delete({}, log->events_family(), seq_key(5)).ok());
  ASSERT_TRUE(log->db()->Delete({}, log->events_family(), seq_key(9)).ok());
  auto one = verify_log(*log, {}, 1);
  EXPECT_EQ(one.first_bad, 4u);
  expect_same_for_every_range_count(*log, one);
}

TEST(LogVerifierRanges, AStreamVersionJumpIsFoundWhereverItIs) {
  for (global_seq bad = 1; bad <= log_size; ++bad) {
    test::temp_dir dir;
    auto log = write_log(dir);
    rewrite(*log, bad, [](event_record& rec) { rec.version += 1; });
    auto one = verify_log(*log, {}, 1);
    ASSERT_FALSE(one.ok());
    EXPECT_EQ(one.first_bad, bad);
    EXPECT_NE(one.problem.find("jumps from version"), std::string::npos) << one.problem;
    expect_same_for_every_range_count(*log, one);
  }
}

TEST(LogVerifierRanges, AWrongStoredSequenceIsFoundWhereverItIs) {
  for (global_seq bad = 1; bad <= log_size; ++bad) {
    test::temp_dir dir;
    auto log = write_log(dir);
    rewrite(*log, bad, [](event_record& rec) { rec.seq += 100; });
    auto one = verify_log(*log, {}, 1);
    ASSERT_FALSE(one.ok());
    EXPECT_EQ(one.first_bad, bad);
    EXPECT_NE(one.problem.find("stored sequence"), std::string::npos) << one.problem;
    expect_same_for_every_range_count(*log, one);
  }
}

TEST(LogVerifierRanges, UndecodableBytesAreFoundWhereverTheyAre) {
  for (global_seq bad = 1; bad <= log_size; ++bad) {
    test::temp_dir dir;
    auto log = write_log(dir);
    ASSERT_TRUE(log->db()->Put({}, log->events_family(), seq_key(bad), "garbage").ok());
    auto one = verify_log(*log, {}, 1);
    ASSERT_FALSE(one.ok());
    EXPECT_EQ(one.first_bad, bad);
    EXPECT_NE(one.problem.find("corrupt event"), std::string::npos) << one.problem;
    expect_same_for_every_range_count(*log, one);
  }
}

TEST(LogVerifierRanges, EventsBeyondTheHeadAreReported) {
  test::temp_dir dir;
  auto log = write_log(dir);
  auto last = log->read(log_size);
  ASSERT_TRUE(last);
  event_record extra = *last;
  extra.seq = log_size + 1;
  extra.version += 1;
  extra.prev_hash = last->hash;
  ASSERT_TRUE(log->db()
                ->Put({}, log->events_family(), seq_key(extra.seq), events::encode_record(extra))
                .ok());
  auto one = verify_log(*log, {}, 1);
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.problem.find("head says"), std::string::npos) << one.problem;
  expect_same_for_every_range_count(*log, one);
}

}  // namespace
}  // namespace tascade

#include "events/codec/envelope_codec.hpp"
#include "events/event_log.hpp"
#include "events/log_verifier.hpp"
#include "tascade/errc.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

namespace tascade {
namespace {

new_event make_event(const std::string& stream, stream_version version, int n) {
  new_event e;
  e.stream = stream;
  e.version = version;
  e.type = "test_happened";
  e.time = timestamp{1'000'000 * n};
  e.principal = "tester";
  e.payload = {{"n", n}};
  return e;
}

std::unique_ptr<event_log> open_log(const test::temp_dir& dir) {
  auto log = event_log::open(dir.str());
  EXPECT_TRUE(log) << message_of(log.error());
  return std::move(*log);
}

TEST(EventLog, AppendAssignsGaplessSequencesAndChainsHashes) {
  test::temp_dir dir;
  auto log = open_log(dir);
  auto results = log->append({{make_event("a", 1, 1), make_event("a", 2, 2)},
                              {make_event("b", 1, 3)}});
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0] && results[1]);
  EXPECT_EQ((*results[0])[0].seq, 1u);
  EXPECT_EQ((*results[0])[1].seq, 2u);
  EXPECT_EQ((*results[1])[0].seq, 3u);
  EXPECT_EQ((*results[0])[1].prev_hash, (*results[0])[0].hash);
  EXPECT_EQ((*results[1])[0].prev_hash, (*results[0])[1].hash);
  EXPECT_EQ(log->head(), 3u);
  EXPECT_EQ(log->head_hash(), (*results[1])[0].hash);
  auto stream = log->read_stream("a");
  ASSERT_TRUE(stream);
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ((*stream)[1].payload.at("n").as_int64(), 2);
  EXPECT_EQ(*log->stream_head("a"), 2u);
  EXPECT_EQ(*log->stream_head("missing"), 0u);
  EXPECT_EQ(log->read_stream("a", 1)->size(), 1u);
}

TEST(EventLog, ACommandThatSkipsAStreamVersionIsRefusedAlone) {
  test::temp_dir dir;
  auto log = open_log(dir);
  ASSERT_TRUE(log->append({{make_event("a", 1, 1)}})[0]);
  auto results = log->append({{make_event("a", 3, 2)},           // skips version 2
                              {make_event("a", 1, 3)},           // rewrites version 1
                              {make_event("a", 2, 4), make_event("b", 1, 5)}});
  EXPECT_EQ(results[0].error(), errc::invariant_violation);
  EXPECT_EQ(results[1].error(), errc::invariant_violation);
  ASSERT_TRUE(results[2]);
  EXPECT_EQ((*results[2])[0].seq, 2u);
  EXPECT_EQ(log->head(), 3u);
  // Two commands of one batch may continue the same stream one after the other.
  auto chained = log->append({{make_event("a", 3, 6)}, {make_event("a", 4, 7)}});
  EXPECT_TRUE(chained[0] && chained[1]);
}

TEST(EventLog, ReopenRecoversHeadHashAndStreams) {
  test::temp_dir dir;
  sha256_digest head;
  {
    auto log = open_log(dir);
    for (int i = 1; i <= 10; ++i)
      ASSERT_TRUE(log->append({{make_event("s", stream_version(i), i)}})[0]);
    head = log->head_hash();
  }
  auto log = open_log(dir);
  EXPECT_EQ(log->head(), 10u);
  EXPECT_EQ(log->head_hash(), head);
  auto next = log->append({{make_event("s", 11, 11)}});
  ASSERT_TRUE(next[0]);
  EXPECT_EQ((*next[0])[0].seq, 11u);
  EXPECT_EQ((*next[0])[0].prev_hash, head);
  // A stale version is still refused after the restart: the stream head came from disk.
  EXPECT_FALSE(log->append({{make_event("s", 5, 12)}})[0]);
  EXPECT_TRUE(verify_log(*log).ok());
}

TEST(EventLog, SnapshotsRoundTripAndTheNewestWins) {
  test::temp_dir dir;
  auto log = open_log(dir);
  EXPECT_FALSE(log->latest_snapshot("p").value());
  ASSERT_TRUE(log->put_snapshot("p", 10, "ten"));
  ASSERT_TRUE(log->put_snapshot("p", 20, std::string(5000, 'z')));
  ASSERT_TRUE(log->put_snapshot("q", 99, "other stream"));
  auto snap = log->latest_snapshot("p");
  ASSERT_TRUE(snap && *snap);
  EXPECT_EQ((*snap)->version, 20u);
  EXPECT_EQ((*snap)->state, std::string(5000, 'z'));
}

TEST(LogVerifier, IntactLogPasses) {
  test::temp_dir dir;
  auto log = open_log(dir);
  for (int i = 1; i <= 50; ++i)
    ASSERT_TRUE(log->append({{make_event("s" + std::to_string(i % 3),
                                         stream_version(i / 3 + (i % 3 ? 1 : 0)), i)}})[0]);
  auto report = verify_log(*log);
  EXPECT_TRUE(report.ok()) << report.problem;
  EXPECT_EQ(report.events, 50u);
}

TEST(LogVerifier, ATamperedEventIsReportedByItsSuccessor) {
  test::temp_dir dir;
  auto log = open_log(dir);
  for (int i = 1; i <= 5; ++i)
    ASSERT_TRUE(log->append({{make_event("s", stream_version(i), i)}})[0]);
  // Rewrite event 3 with a different payload but a well-formed encoding.
  auto rec = log->read(3);
  ASSERT_TRUE(rec);
  rec->payload["n"] = 333;
  auto bytes = events::encode_record(*rec);
  ASSERT_TRUE(log->db()->Put({}, log->events_family(), seq_key(3), bytes).ok());
  auto report = verify_log(*log);
  EXPECT_FALSE(report.ok());
  ASSERT_TRUE(report.first_bad);
  EXPECT_EQ(*report.first_bad, 4u);
  EXPECT_NE(report.problem.find("hash chain"), std::string::npos);
}

TEST(LogVerifier, ARemovedEventIsReported) {
  test::temp_dir dir;
  auto log = open_log(dir);
  for (int i = 1; i <= 5; ++i)
    ASSERT_TRUE(log->append({{make_event("s", stream_version(i), i)}})[0]);
  ASSERT_TRUE(log->db()->Delete({}, log->events_family(), seq_key(2)).ok());
  auto report = verify_log(*log);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.first_bad.value_or(0), 2u);
  EXPECT_NE(report.problem.find("missing"), std::string::npos);
}

TEST(LogVerifier, ARemovedTailIsReportedAgainstTheHead) {
  test::temp_dir dir;
  auto log = open_log(dir);
  for (int i = 1; i <= 5; ++i)
    ASSERT_TRUE(log->append({{make_event("s", stream_version(i), i)}})[0]);
  ASSERT_TRUE(log->db()->Delete({}, log->events_family(), seq_key(5)).ok());
  auto report = verify_log(*log);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.first_bad.value_or(0), 5u);
}

}  // namespace
}  // namespace tascade

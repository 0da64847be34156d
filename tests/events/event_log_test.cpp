#include "events/codec/envelope_codec.hpp"
#include "events/event_log.hpp"
#include "events/log_verifier.hpp"
#include "tascade/errc.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>
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

namespace tascade {
namespace {

// Issue 16: the idempotency marker rides in the same WriteBatch as the command's events.
TEST(EventLogIdempotency, ACommandWithAScopeMarksItCommittedWithItsEvents) {
  test::temp_dir dir;
  auto log = open_log(dir);
  ASSERT_TRUE(log->append({{make_event("a", 1, 1)}})[0]);
  auto first = make_event("a", 2, 2);
  first.idempotency_scope = "create_task\nkey-1\nK";
  auto second = make_event("b", 1, 3);
  second.idempotency_scope = first.idempotency_scope;
  ASSERT_TRUE(log->append({{first, second}})[0]);
  auto stored = log->idempotent_result("create_task\nkey-1\nK");
  ASSERT_TRUE(stored && *stored);
  auto marker = boost::json::parse(**stored).as_object();
  EXPECT_EQ(marker.at("committed_seq").as_int64(), 2);  // the command's first event
  EXPECT_EQ(marker.at("at").as_int64(), 2'000'000);
  EXPECT_FALSE(marker.contains("status"));
  // The scope never reaches the envelope: the event's bytes are what they were before.
  auto rec = log->read(2);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->idempotency_key, "");
}

TEST(EventLogIdempotency, AStoredAnswerIsNeverOverwrittenByALaterMarker) {
  test::temp_dir dir;
  auto log = open_log(dir);
  ASSERT_TRUE(log->put_idempotent_result("S", R"({"fingerprint":"f","status":201,"body":{},"at":5})"));
  auto ev = make_event("a", 1, 1);
  ev.idempotency_scope = "S";
  ASSERT_TRUE(log->append({{ev}})[0]);
  EXPECT_EQ(**log->idempotent_result("S"), R"({"fingerprint":"f","status":201,"body":{},"at":5})");
}

TEST(EventLogIdempotency, AFailedCommandLeavesNoMarker) {
  test::temp_dir dir;
  auto log = open_log(dir);
  auto ev = make_event("a", 2, 1);  // skips version 1: refused
  ev.idempotency_scope = "S";
  EXPECT_FALSE(log->append({{ev}})[0]);
  EXPECT_FALSE(*log->idempotent_result("S"));
}

TEST(EventLogIdempotency, ExpiryDeletesOldRecordsAndKeepsNewAndUndatedOnes) {
  test::temp_dir dir;
  auto log = open_log(dir);
  ASSERT_TRUE(log->put_idempotent_result("old", R"({"committed_seq":1,"at":1000})"));
  ASSERT_TRUE(log->put_idempotent_result(
    "old answer", R"({"fingerprint":"f","status":201,"body":{"at":99999999},"at":2000})"));
  ASSERT_TRUE(log->put_idempotent_result("new", R"({"committed_seq":2,"at":9000})"));
  ASSERT_TRUE(log->put_idempotent_result("undated", R"({"fingerprint":"f","status":200,"body":{}})"));
  auto expired = log->expire_idempotent_results(timestamp{5000}, 100);
  ASSERT_TRUE(expired);
  EXPECT_EQ(*expired, 2u);
  EXPECT_FALSE(*log->idempotent_result("old"));
  EXPECT_FALSE(*log->idempotent_result("old answer"));
  EXPECT_TRUE(*log->idempotent_result("new"));
  EXPECT_TRUE(*log->idempotent_result("undated"));
}

TEST(EventLogIdempotency, ExpiryPassesAreBoundedAndResumeWhereTheyStopped) {
  test::temp_dir dir;
  auto log = open_log(dir);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(log->put_idempotent_result("k" + std::to_string(i), R"({"committed_seq":1,"at":1})"));
  size_t total = 0;
  for (int pass = 0; pass < 4; ++pass) {
    auto n = log->expire_idempotent_results(timestamp{100}, 3);
    ASSERT_TRUE(n);
    EXPECT_LE(*n, 3u);
    total += *n;
  }
  EXPECT_EQ(total, 10u);
  for (int i = 0; i < 10; ++i)
    EXPECT_FALSE(*log->idempotent_result("k" + std::to_string(i)));
}

}  // namespace
}  // namespace tascade

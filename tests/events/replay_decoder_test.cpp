#include "events/codec/envelope_codec.hpp"
#include "events/codec/payload_codec.hpp"
#include "events/codec/replay_decoder.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <vector>

namespace tascade {
namespace {

event_record record_with(uint64_t seq, std::string type, boost::json::object payload) {
  event_record rec;
  rec.seq = seq;
  rec.stream = "task:" + uuid::random().str();
  rec.version = seq + 3;
  rec.type = std::move(type);
  rec.time = timestamp{1'763'000'000'000'000 + int64_t(seq)};
  rec.principal = seq % 2 ? "agent-with-a-rather-long-principal-name" : "a";
  rec.correlation = "req-" + std::to_string(seq);
  rec.idempotency_key = seq % 3 ? "" : "idem-" + std::to_string(seq);
  rec.payload = std::move(payload);
  rec.prev_hash.fill(uint8_t(seq));
  return rec;
}

events::task_created task_with_spec(std::string objective) {
  events::task_created e;
  e.id = task_id::random();
  e.project = project_id::random();
  e.phase = phase_id::random();
  e.milestone = milestone_id::random();
  e.short_id = "P1.M1.T1";
  e.title = "Parse";
  e.work_spec = {{"objective", std::move(objective)},
                 {"acceptance_criteria", {"one", "two", std::string(200, 'c')}}};
  e.capability_tags = {"cpp"};
  return e;
}

// One decoder over a run of records, small and large (compressed) payloads mixed, gives every
// record exactly as the one-shot decoder does (apart from the hash, which replay skips).
TEST(ReplayDecoder, DecodesARunOfRecordsLikeTheOneShotDecoder) {
  std::vector<std::string> stored;
  for (uint64_t i = 1; i <= 40; ++i) {
    boost::json::object payload{{"n", i}, {"list", {1, 2, 3}}, {"nested", {{"k", "v"}}}};
    if (i % 5 == 0)
      payload["big"] = std::string(30'000 + i, char('a' + i % 26));  // stored as a zstd frame
    if (i % 7 == 0)
      payload["many"] = boost::json::array(2000, boost::json::value("x"));  // past the first block
    stored.push_back(events::encode_record(record_with(i, "thing_happened", payload)));
  }
  events::replay_decoder decoder;
  for (auto& bytes : stored) {
    auto want = events::decode_record(bytes);
    ASSERT_TRUE(want);
    auto got = decoder.decode(bytes);
    ASSERT_TRUE(got) << message_of(got.error());
    auto& rec = **got;
    EXPECT_EQ(rec.seq, want->seq);
    EXPECT_EQ(rec.stream, want->stream);
    EXPECT_EQ(rec.version, want->version);
    EXPECT_EQ(rec.type, want->type);
    EXPECT_EQ(rec.schema, want->schema);
    EXPECT_EQ(rec.time, want->time);
    EXPECT_EQ(rec.principal, want->principal);
    EXPECT_EQ(rec.correlation, want->correlation);
    EXPECT_EQ(rec.idempotency_key, want->idempotency_key);
    EXPECT_EQ(rec.prev_hash, want->prev_hash);
    EXPECT_EQ(rec.payload, want->payload) << rec.seq;
  }
}

// The decoder's payload lives in an arena recycled by the next decode, so a decoded event must
// own its objects: its work spec survives the records decoded after it.
TEST(ReplayDecoder, DecodedEventsOutliveTheRecordTheyCameFrom) {
  auto first = task_with_spec("keep me");
  auto bytes = events::encode_record(
    record_with(1, "task_created", events::encode_payload(events::event{first})));
  events::replay_decoder decoder;
  auto rec = decoder.decode(bytes);
  ASSERT_TRUE(rec);
  auto ev = events::decode_payload((*rec)->type, (*rec)->schema, (*rec)->payload);
  ASSERT_TRUE(ev) << message_of(ev.error());
  for (uint64_t i = 2; i < 20; ++i) {
    auto other = task_with_spec(std::string(100 + i, 'z'));
    ASSERT_TRUE(decoder.decode(events::encode_record(
      record_with(i, "task_created", events::encode_payload(events::event{other})))));
  }
  auto& kept = std::get<events::task_created>(*ev);
  EXPECT_EQ(kept.work_spec, first.work_spec);
  EXPECT_EQ(kept.title, first.title);
  EXPECT_EQ(kept.id, first.id);
}

// Found by event_codec_fuzz: a zstd frame header claiming gigabytes made both decoders allocate
// them before decompressing. Such a frame is corrupt, whatever follows its header.
TEST(ReplayDecoder, FrameClaimingMoreThanItCanHoldIsRefusedBeforeAllocating) {
  auto bytes = events::encode_record(record_with(1, "x", {}));  // payload "{}" at the end
  ASSERT_EQ(bytes.substr(bytes.size() - 2), "{}");
  // Magic, single-segment descriptor with an 8-byte content size of 2^40, then nothing.
  std::string frame("\x28\xb5\x2f\xfd\xe0\x00\x00\x00\x00\x00\x01\x00\x00", 13);
  bytes.resize(bytes.size() - 6);
  bytes += std::string("\0\0\0\x0d", 4) + frame;
  bytes[1] = char(bytes[1] | 1);  // flags: the payload is a zstd frame
  EXPECT_EQ(events::decode_record(bytes).error(), errc::storage_failure);
  events::replay_decoder decoder;
  EXPECT_EQ(decoder.decode(bytes).error(), errc::storage_failure);
  EXPECT_TRUE(events::zstd_content_size_possible(128 * 1024, 4));
  EXPECT_FALSE(events::zstd_content_size_possible(uint64_t(1) << 40, 13));
}

TEST(ReplayDecoder, MalformedBytesAreStorageFailuresAndTheNextRecordStillDecodes) {
  events::replay_decoder decoder;
  auto good = events::encode_record(record_with(1, "x", {{"a", 1}}));
  EXPECT_EQ(decoder.decode(good.substr(0, good.size() - 1)).error(), errc::storage_failure);
  EXPECT_EQ(decoder.decode("").error(), errc::storage_failure);
  auto not_json = record_with(2, "x", {});
  auto bytes = events::encode_record(not_json);
  bytes.replace(bytes.size() - 2, 2, "[]");  // the payload "{}" becomes an array
  EXPECT_EQ(decoder.decode(bytes).error(), errc::storage_failure);
  auto back = decoder.decode(good);
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)->payload, (boost::json::object{{"a", 1}}));
}

// Readers look for the next field where the writer put it, but any key order decodes.
TEST(PayloadCodec, FieldsDecodeInAnyOrder) {
  auto ev = events::event{task_with_spec("any order")};
  auto payload = events::encode_payload(ev);
  boost::json::object reversed;
  for (auto it = payload.end(); it != payload.begin();) {
    --it;
    reversed.emplace(it->key(), it->value());
  }
  ASSERT_NE(reversed.begin()->key(), payload.begin()->key());
  auto back = events::decode_payload("task_created", 1, reversed);
  ASSERT_TRUE(back) << message_of(back.error());
  EXPECT_EQ(events::encode_payload(*back), payload);
}

}  // namespace
}  // namespace tascade

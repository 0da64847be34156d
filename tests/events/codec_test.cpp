#include "events/codec/envelope_codec.hpp"
#include "events/codec/payload_codec.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <utility>
#include <variant>

namespace tascade {
namespace {

events::task_created sample_task() {
  events::task_created e;
  e.id = task_id::random();
  e.project = project_id::random();
  e.phase = phase_id::random();
  e.milestone = milestone_id::random();
  e.number = 7;
  e.short_id = "P1.M2.T7";
  e.title = "Write the parser";
  e.description = "with tests";
  e.priority = 5;
  e.work_spec = {{"objective", "parse"}, {"acceptance_criteria", {"it parses"}}};
  e.klass = task_class::backend;
  e.capability_tags = {"cpp", "parsing"};
  e.expected_touches = {"src/**/*.cpp"};
  return e;
}

TEST(PayloadCodec, SampleEventsRoundTrip) {
  std::vector<events::event> all{
    events::project_created{project_id::random(), "Alpha", plan_version_id::random()},
    events::phase_created{phase_id::random(), project_id::random(), "Phase", 3, 2, "P2"},
    events::milestone_created{milestone_id::random(), project_id::random(), phase_id::random(),
                              "M", 0, 1, "P2.M1"},
    sample_task(),
    events::dependency_added{edge_id::random(), project_id::random(), task_id::random(),
                             task_id::random(), unlock_on::integrated}};
  for (auto& ev : all) {
    auto payload = events::encode_payload(ev);
    auto back = events::decode_payload(events::type_of(ev), events::schema_of(ev), payload);
    ASSERT_TRUE(back) << message_of(back.error());
    EXPECT_EQ(events::encode_payload(*back), payload) << events::type_of(ev);
    EXPECT_EQ(back->index(), ev.index());
  }
}

// Every alternative of the event variant, as default-constructed, decodes back to itself: a new
// event type whose decoder disagrees with its encoder (a field's name or JSON kind) fails here.
template <size_t... I>
std::vector<events::event> one_of_each(std::index_sequence<I...>) {
  return {events::event(std::in_place_index<I>)...};
}

TEST(PayloadCodec, EveryEventTypeRoundTrips) {
  auto all = one_of_each(std::make_index_sequence<std::variant_size_v<events::event>>());
  ASSERT_GT(all.size(), 20u);
  for (auto& ev : all) {
    auto payload = events::encode_payload(ev);
    auto back = events::decode_payload(events::type_of(ev), events::schema_of(ev), payload);
    ASSERT_TRUE(back) << events::type_of(ev) << ": " << message_of(back.error());
    EXPECT_EQ(events::encode_payload(*back), payload) << events::type_of(ev);
    EXPECT_EQ(back->index(), ev.index());
  }
}

TEST(PayloadCodec, NullDescriptionStaysNull) {
  auto e = sample_task();
  e.description.reset();
  auto back = events::decode_payload("task_created", 1, events::encode_payload(e));
  ASSERT_TRUE(back);
  EXPECT_FALSE(std::get<events::task_created>(*back).description.has_value());
}

TEST(PayloadCodec, UnknownTypeFutureSchemaAndBadFieldsAreStorageFailures) {
  auto payload = events::encode_payload(sample_task());
  EXPECT_EQ(events::decode_payload("task_exploded", 1, payload).error(), errc::storage_failure);
  EXPECT_EQ(events::decode_payload("task_created", 99, payload).error(), errc::storage_failure);
  payload["task_class"] = "code";
  EXPECT_EQ(events::decode_payload("task_created", 1, payload).error(), errc::storage_failure);
  payload.erase("task_class");
  auto missing = events::decode_payload("task_created", 1, payload);
  ASSERT_FALSE(missing);
  EXPECT_NE(message_of(missing.error()).find("task_class"), std::string::npos);
}

event_record sample_record(boost::json::object payload) {
  event_record rec;
  rec.seq = 42;
  rec.stream = "project:" + uuid::random().str();
  rec.version = 9;
  rec.type = "task_created";
  rec.schema = 1;
  rec.time = timestamp{1'763'000'000'123'456};
  rec.principal = "planner-1";
  rec.correlation = "req-7";
  rec.idempotency_key = "idem-1";
  rec.payload = std::move(payload);
  rec.prev_hash.fill(0xab);
  return rec;
}

TEST(EnvelopeCodec, RecordRoundTripsWithItsHash) {
  auto rec = sample_record(events::encode_payload(sample_task()));
  auto bytes = events::encode_record(rec);
  auto back = events::decode_record(bytes);
  ASSERT_TRUE(back) << message_of(back.error());
  EXPECT_EQ(back->seq, rec.seq);
  EXPECT_EQ(back->stream, rec.stream);
  EXPECT_EQ(back->version, rec.version);
  EXPECT_EQ(back->type, rec.type);
  EXPECT_EQ(back->time, rec.time);
  EXPECT_EQ(back->principal, rec.principal);
  EXPECT_EQ(back->correlation, rec.correlation);
  EXPECT_EQ(back->idempotency_key, rec.idempotency_key);
  EXPECT_EQ(back->payload, rec.payload);
  EXPECT_EQ(back->prev_hash, rec.prev_hash);
  EXPECT_EQ(back->hash, events::decode_record(bytes)->hash);
}

// Found by event_codec_fuzz: a stored payload with a number beyond a double's range decoded to an
// infinity that encodes as `Infinity`, which no reader parses. The log never holds one (the
// catalogue refuses such input), so reading one is corruption.
TEST(EnvelopeCodec, APayloadNumberOutOfRangeIsCorruption) {
  auto bytes = events::encode_record(sample_record({{"n", "abc"}}));
  auto at = bytes.find("\"abc\"");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 5, "1e400");  // same length: the length prefix stays right
  auto back = events::decode_record(bytes);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error(), errc::storage_failure);
  EXPECT_NE(message_of(back.error()).find("out of range"), std::string::npos);
}

TEST(EnvelopeCodec, LargePayloadsAreCompressedAndRoundTrip) {
  boost::json::object payload{{"text", std::string(20'000, 'x')}};
  auto rec = sample_record(payload);
  auto bytes = events::encode_record(rec);
  EXPECT_LT(bytes.size(), 2'000u);  // 20 kB of one letter shrinks to a few hundred bytes
  EXPECT_EQ(uint8_t(bytes[1]) & 1, 1);
  auto back = events::decode_record(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->payload, payload);
}

TEST(EnvelopeCodec, ChangedByteChangesTheHashAndTruncationIsRejected) {
  auto bytes = events::encode_record(sample_record({{"a", 1}}));
  auto original = events::decode_record(bytes)->hash;
  auto changed = bytes;
  changed[30] ^= 1;  // inside the previous-hash field
  auto back = events::decode_record(changed);
  ASSERT_TRUE(back);
  EXPECT_NE(back->hash, original);
  EXPECT_EQ(events::decode_record(bytes.substr(0, bytes.size() - 1)).error(),
            errc::storage_failure);
  EXPECT_EQ(events::decode_record("").error(), errc::storage_failure);
}

TEST(Timestamp, IsoRoundTripsAndAcceptsOffsets) {
  timestamp t{1'770'891'072'123'456};
  EXPECT_EQ(t.iso(), "2026-02-12T10:11:12.123456+00:00");
  EXPECT_EQ(timestamp::parse(t.iso()), t);
  EXPECT_EQ(timestamp::parse("2026-02-12T10:11:12Z")->micros, 1'770'891'072'000'000);
  EXPECT_EQ(timestamp::parse("2026-02-12T12:11:12+02:00")->micros, 1'770'891'072'000'000);
  EXPECT_FALSE(timestamp::parse("2026-02-12"));
  EXPECT_FALSE(timestamp::parse("2026-13-12T10:11:12Z"));
}

// The digit-by-digit formatting agrees with the C library's calendar, before and after 1970.
TEST(Timestamp, IsoAgreesWithGmtimeAcrossTheCalendar) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> micros(-2'208'988'800'000'000LL,   // 1900
                                                253'402'300'799'999'999LL);  // 9999-12-31
  std::vector<int64_t> cases{0, -1, 1, 951'782'400'000'000 /* 2000-02-29 */};
  for (int i = 0; i < 2000; ++i)
    cases.push_back(micros(rng));
  for (auto us : cases) {
    auto secs = us / 1'000'000, frac = us % 1'000'000;
    if (frac < 0) {
      frac += 1'000'000;
      --secs;
    }
    time_t when = secs;
    std::tm parts{};
    gmtime_r(&when, &parts);
    char expected[64];
    std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00",
                  parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
                  parts.tm_min, parts.tm_sec, static_cast<long long>(frac));
    timestamp t{us};
    ASSERT_EQ(t.iso(), expected) << us;
    ASSERT_EQ(timestamp::parse(t.iso()), t) << us;
  }
}

TEST(Uuid, ParsesCanonicalFormsAndRejectsOthers) {
  auto u = uuid::random();
  EXPECT_EQ(uuid::parse(u.str()), u);
  EXPECT_EQ(u.str()[14], '4');  // version 4
  EXPECT_FALSE(uuid::parse("not-a-valid-uuid"));
  EXPECT_FALSE(uuid::parse("00000000-0000-0000-0000-00000000000g"));
  EXPECT_TRUE(uuid::parse("00000000-0000-0000-0000-000000000000")->is_nil());
  EXPECT_NE(uuid::random(), uuid::random());
}

}  // namespace
}  // namespace tascade

// The Idempotency-Key guard over a store: stored answers replay, a "committed" marker without an
// answer (the server stopped between the two) is refused instead of running the request again,
// and records older than the configured age count as absent (issue 16).

#include "catalogue/idempotency.hpp"
#include "tascade/time.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <string>

namespace tascade::catalogue {
namespace {

namespace json = boost::json;

struct outcome {
  int status = 0;
  json::value body;
  bool replayed = false;
  int runs = 0;
};

struct guarded {
  std::map<std::string, std::string> records;
  idempotency_guard guard;

  explicit guarded(std::chrono::microseconds max_age = {})
      : guard(idempotency_store{
          [this](const std::string& k) -> std::optional<std::string> {
            auto it = records.find(k);
            return it == records.end() ? std::nullopt : std::optional<std::string>(it->second);
          },
          [this](const std::string& k, const std::string& r) { records[k] = r; }, max_age}) {}

  outcome run(const std::string& key, const std::string& fingerprint) {
    outcome out;
    guard.run(
      key, fingerprint,
      [&](idempotency_guard::respond_fn done) {
        ++out.runs;
        done(201, json::object{{"id", "new"}}, false);
      },
      [&](int status, json::value body, bool replayed) {
        out.status = status;
        out.body = std::move(body);
        out.replayed = replayed;
      });
    return out;
  }
};

TEST(IdempotencyGuard, ARepeatReplaysTheStoredAnswerWithoutRunning) {
  guarded g;
  auto first = g.run("K", "POST /v1/tasks\n{}");
  EXPECT_EQ(first.runs, 1);
  auto stored = json::parse(g.records.at("K")).as_object();
  EXPECT_TRUE(stored.contains("at"));
  auto again = g.run("K", "POST /v1/tasks\n{}");
  EXPECT_EQ(again.runs, 0);
  EXPECT_EQ(again.status, 201);
  EXPECT_TRUE(again.replayed);
}

TEST(IdempotencyGuard, ACommittedMarkerWithoutAnAnswerIsRefusedNotRunAgain) {
  guarded g;
  g.records["K"] = R"({"committed_seq":42,"at":)" + std::to_string(system_now().micros) + "}";
  auto retry = g.run("K", "POST /v1/tasks\n{}");
  EXPECT_EQ(retry.runs, 0);
  EXPECT_EQ(retry.status, 422);
  auto& error = retry.body.at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(error.at("details").at("committed_seq").as_int64(), 42);
  EXPECT_FALSE(error.at("retryable").as_bool());
}

TEST(IdempotencyGuard, RecordsOlderThanTheMaxAgeCountAsAbsent) {
  guarded g(std::chrono::hours(1));
  auto two_hours_ago = system_now().micros - int64_t(7'200'000'000);
  g.records["old"] = R"({"committed_seq":1,"at":)" + std::to_string(two_hours_ago) + "}";
  g.records["recent"] = R"({"committed_seq":2,"at":)" + std::to_string(system_now().micros) + "}";
  EXPECT_EQ(g.run("old", "f").runs, 1);  // expired: runs as a new request
  EXPECT_EQ(g.run("recent", "f").runs, 0);
}

TEST(IdempotencyGuard, AnotherRequestUnderTheSameKeyIsRefused) {
  guarded g;
  g.run("K", "POST /v1/tasks\n{\"title\":\"a\"}");
  auto other = g.run("K", "POST /v1/tasks\n{\"title\":\"b\"}");
  EXPECT_EQ(other.runs, 0);
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.body.at("error").at("code").as_string(), "IDEMPOTENCY_KEY_REUSED");
}

}  // namespace
}  // namespace tascade::catalogue

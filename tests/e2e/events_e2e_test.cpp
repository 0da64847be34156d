// The live event stream against the real server: SSE at /v1/events and WebSocket at
// /v1/events/ws. Catch-up from a cursor then live, without gap or duplicate; reconnects that
// resume; filters; project keys; and a slow subscriber cut off while writes go on.

#include "tests/support/fixtures.hpp"
#include "tests/support/stream_client.hpp"

#include <gtest/gtest.h>

namespace tascade::test {
namespace {

namespace json = boost::json;

// The key the suite's clients send, for the stream clients too.
header_list auth_headers(const server_process& server) {
  if (server.admin_key().empty())
    return {};
  return {{"Authorization", "Bearer " + server.admin_key()}};
}

uint64_t head_of(http_client& c) {
  return get_digest(c).at("checkpoint").to_number<uint64_t>();
}

// Reads SSE events until `count` arrived (or a timeout); their sequences must be contiguous.
std::vector<sse_event> read_events(sse_client& s, size_t count) {
  std::vector<sse_event> out;
  while (out.size() < count) {
    auto e = s.next();
    if (!e)
      break;
    out.push_back(*e);
  }
  return out;
}

std::vector<uint64_t> ids_of(const std::vector<sse_event>& events) {
  std::vector<uint64_t> out;
  for (auto& e : events)
    out.push_back(std::stoull(e.id));
  return out;
}

std::vector<uint64_t> range(uint64_t first, uint64_t last) {
  std::vector<uint64_t> out;
  for (auto s = first; s <= last; ++s)
    out.push_back(s);
  return out;
}

TEST(EventStreamE2e, SseCatchesUpFromTheCursorThenContinuesLive) {
  running_server s;
  auto h = setup_h(s.client);
  auto cursor = head_of(s.client);
  for (int i = 0; i < 3; ++i)
    create_task(s.client, h.project, h.milestone, "before " + std::to_string(i));
  auto before = head_of(s.client);

  sse_client stream(s.server.port(), "/v1/events?after=" + std::to_string(cursor),
                    auth_headers(s.server));
  ASSERT_EQ(stream.status(), 200) << stream.body();
  auto caught_up = read_events(stream, before - cursor);
  EXPECT_EQ(ids_of(caught_up), range(cursor + 1, before));
  for (int i = 0; i < 2; ++i)
    create_task(s.client, h.project, h.milestone, "after " + std::to_string(i));
  auto after = head_of(s.client);
  auto live = read_events(stream, after - before);
  EXPECT_EQ(ids_of(live), range(before + 1, after));
  for (auto& e : live) {
    EXPECT_EQ(e.event, "task_created");
    auto data = json::parse(e.data).as_object();
    EXPECT_EQ(std::to_string(data.at("seq").to_number<uint64_t>()), e.id);
    EXPECT_EQ(data.at("payload").at("project_id").as_string(), h.project);
  }
  EXPECT_FALSE(stream.next(std::chrono::milliseconds(300))) << "no duplicate, nothing extra";
}

TEST(EventStreamE2e, AReconnectWithLastEventIdResumesWithoutGap) {
  running_server s;
  auto h = setup_h(s.client);
  auto start = head_of(s.client);
  for (int i = 0; i < 4; ++i)
    create_task(s.client, h.project, h.milestone, "t" + std::to_string(i));
  std::vector<uint64_t> seen;
  {
    sse_client first(s.server.port(), "/v1/events?after=" + std::to_string(start),
                     auth_headers(s.server));
    ASSERT_EQ(first.status(), 200);
    for (auto id : ids_of(read_events(first, 2)))
      seen.push_back(id);
  }  // the subscriber goes away mid-stream
  ASSERT_EQ(seen.size(), 2u);
  for (int i = 0; i < 3; ++i)
    create_task(s.client, h.project, h.milestone, "while away " + std::to_string(i));
  auto head = head_of(s.client);
  auto headers = auth_headers(s.server);
  headers.emplace_back("Last-Event-ID", std::to_string(seen.back()));
  // ?after= is older: Last-Event-ID wins, as for a reconnecting EventSource.
  sse_client again(s.server.port(), "/v1/events?after=" + std::to_string(start), headers);
  ASSERT_EQ(again.status(), 200);
  for (auto id : ids_of(read_events(again, head - seen.back())))
    seen.push_back(id);
  EXPECT_EQ(seen, range(start + 1, head));
}

TEST(EventStreamE2e, FiltersByProjectAndEventType) {
  running_server s;
  auto a = setup_h(s.client, "A");
  auto b = setup_h(s.client, "B");
  auto task_a = str(create_task(s.client, a.project, a.milestone, "in A"), "id");
  create_task(s.client, b.project, b.milestone, "in B");
  claim(s.client, a.project, task_a, "agent-1");
  sse_client stream(s.server.port(),
                    "/v1/events?after=0&project=" + a.project + "&types=task_created,task_claimed",
                    auth_headers(s.server));
  ASSERT_EQ(stream.status(), 200);
  auto events = read_events(stream, 2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event, "task_created");
  EXPECT_EQ(events[1].event, "task_claimed");
  for (auto& e : events)
    EXPECT_EQ(json::parse(e.data).at("payload").at("project_id").as_string(), a.project);
  EXPECT_FALSE(stream.next(std::chrono::milliseconds(300)));
  sse_client bad(s.server.port(), "/v1/events?after=yesterday", auth_headers(s.server));
  EXPECT_EQ(bad.status(), 422) << bad.body();
}

TEST(EventStreamE2e, WebSocketSubscribersGetTheSameStream) {
  running_server s;
  auto h = setup_h(s.client);
  auto cursor = head_of(s.client);
  create_task(s.client, h.project, h.milestone, "caught up");
  ws_client ws(s.server.port(), "/v1/events/ws?after=" + std::to_string(cursor),
               auth_headers(s.server));
  auto first = ws.receive();
  ASSERT_TRUE(first);
  EXPECT_EQ(json::parse(*first).at("seq").to_number<uint64_t>(), cursor + 1);
  create_task(s.client, h.project, h.milestone, "live");
  auto second = ws.receive();
  ASSERT_TRUE(second);
  auto live = json::parse(*second).as_object();
  EXPECT_EQ(live.at("seq").to_number<uint64_t>(), cursor + 2);
  EXPECT_EQ(live.at("type").as_string(), "task_created");
  EXPECT_EQ(live.at("payload").at("title").as_string(), "live");
  EXPECT_FALSE(ws.receive(std::chrono::milliseconds(300)));
}

TEST(EventStreamE2e, ASlowSubscriberIsCutOffWhileWritesContinueAtFullSpeed) {
  running_server s({"--event-queue-limit", "32"});
  auto h = setup_h(s.client);
  constexpr int writes = 1200;
  auto timed_writes = [&](int n, const std::string& prefix) {
    std::chrono::duration<double, std::milli> worst{0};
    auto began = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto r = s.client.post("/v1/tasks", task_body(h.project, h.milestone, prefix + std::to_string(i)));
      EXPECT_EQ(r.status, 201) << r.body;
      worst = std::max(worst, std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - t0));
    }
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - began);
    return std::pair{elapsed.count(), worst.count()};
  };
  auto [alone, alone_worst] = timed_writes(writes, "alone ");
  auto start = head_of(s.client);
  // A subscriber that stops reading after the headers, with a tiny receive buffer.
  sse_client slow(s.server.port(), "/v1/events?after=" + std::to_string(start),
                  auth_headers(s.server), 2048);
  ASSERT_EQ(slow.status(), 200);
  ws_client slow_ws(s.server.port(), "/v1/events/ws?after=" + std::to_string(start),
                    auth_headers(s.server), "", 2048);
  auto [stalled, stalled_worst] = timed_writes(writes, "w");
  std::cout << "[ figures  ] " << writes << " sequential writes: " << alone << " s alone (slowest "
            << alone_worst << " ms), " << stalled << " s with two stalled subscribers (slowest "
            << stalled_worst << " ms)\n";
  // Nobody waited for the stalled subscribers (they read nothing during the writes).
  EXPECT_LT(stalled_worst, 2000.0);
  auto head = head_of(s.client);

  // Now it reads: what was sent, then the cut-off naming its cursor.
  std::vector<uint64_t> seen;
  std::optional<sse_event> cutoff;
  while (auto e = slow.next()) {
    if (e->event == "cutoff") {
      cutoff = e;
      break;
    }
    seen.push_back(std::stoull(e->id));
  }
  ASSERT_TRUE(cutoff) << "the stalled subscriber was not cut off (" << seen.size() << " events)";
  auto resume = json::parse(cutoff->data).at("resume_after").to_number<uint64_t>();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(resume, seen.back());
  EXPECT_LT(resume, head);
  EXPECT_TRUE(eventually([&] { return !slow.next(std::chrono::milliseconds(100)) && slow.ended(); }));

  // Resuming from its cursor gives the rest, without a gap.
  auto headers = auth_headers(s.server);
  headers.emplace_back("Last-Event-ID", std::to_string(resume));
  sse_client resumed(s.server.port(), "/v1/events", headers);
  ASSERT_EQ(resumed.status(), 200);
  for (auto id : ids_of(read_events(resumed, head - resume)))
    seen.push_back(id);
  EXPECT_EQ(seen, range(start + 1, head));

  // The WebSocket subscriber is cut off the same way: a last frame, then a close naming it.
  std::optional<json::object> last;
  while (auto m = slow_ws.receive()) {
    auto v = json::parse(*m).as_object();
    if (v.contains("type") && v.at("type") == "cutoff") {
      last = v;
      break;
    }
  }
  ASSERT_TRUE(last);
  EXPECT_EQ(last->at("reason").as_string(), "slow_subscriber");
  EXPECT_FALSE(slow_ws.receive());
  EXPECT_EQ(slow_ws.close_code(), 4000);
  EXPECT_NE(slow_ws.close_reason().find(std::to_string(last->at("resume_after").to_number<uint64_t>())),
            std::string::npos);
}

TEST(EventStreamE2e, AProjectKeySeesOnlyItsProjectsEvents) {
  temp_dir data;
  server_process server(data.str(), {}, auth_setting::required);
  auto admin = server.client();
  auto a = setup_h(admin, "A");
  auto b = setup_h(admin, "B");
  create_task(admin, b.project, b.milestone, "B's");
  create_task(admin, a.project, a.milestone, "A's");
  auto key = expect_object(admin.post("/v1/api-keys", json::object{{"project_id", a.project},
                                                                  {"name", "watcher"},
                                                                  {"role_scopes", json::array{}},
                                                                  {"created_by", "admin"}}),
                           201, "create key");
  header_list watcher{{"Authorization", "Bearer " + str(key, "raw_key")}};
  sse_client own(server.port(), "/v1/events?after=0", watcher);
  ASSERT_EQ(own.status(), 200) << own.body();
  std::vector<sse_event> events;
  while (auto e = own.next(std::chrono::milliseconds(500)))
    events.push_back(*e);
  ASSERT_FALSE(events.empty());
  for (auto& e : events) {
    auto v = json::parse(e.data).as_object();
    auto* pid = v.at("payload").as_object().if_contains("project_id");
    bool mine = v.at("stream").as_string() == "project:" + a.project ||
                (pid && pid->as_string() == a.project);
    EXPECT_TRUE(mine) << e.data;
  }
  sse_client other(server.port(), "/v1/events?project=" + b.project, watcher);
  EXPECT_EQ(other.status(), 403) << other.body();
  EXPECT_NE(other.body().find("PROJECT_SCOPE_VIOLATION"), std::string::npos);
  sse_client nobody(server.port(), "/v1/events");
  EXPECT_EQ(nobody.status(), 401);
  EXPECT_EQ(ws_client::upgrade_status(server.port(), "/v1/events/ws?project=" + b.project, watcher),
            403);
  // The refused subscriptions are audited like refused calls: one aggregated auth_denied.
  sse_client audit(server.port(), "/v1/events?after=0&types=auth_denied", auth_headers(server));
  ASSERT_EQ(audit.status(), 200) << audit.body();
  auto denied = audit.next();
  ASSERT_TRUE(denied);
  auto payload = json::parse(denied->data).as_object().at("payload").as_object();
  EXPECT_EQ(str(payload, "endpoint"), "stream_events");
  EXPECT_EQ(str(payload, "reason"), "project_scope_violation");
  EXPECT_EQ(str(payload, "key_name"), "watcher");
  EXPECT_EQ(str(payload, "target_project_id"), b.project);
  // Browser clients pass the key as ?access_token=.
  sse_client browser(server.port(), "/v1/events?after=0&access_token=" + str(key, "raw_key"));
  EXPECT_EQ(browser.status(), 200);
  while (browser.next(std::chrono::milliseconds(300))) {
  }
  // Revoking the key ends its streams at the next event.
  auto revoked = admin.post("/v1/api-keys/" + str(key, "id") + "/revoke?project_id=" + a.project,
                            json::object{});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  create_task(admin, a.project, a.milestone, "after the revocation");
  auto last = browser.next();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->event, "error");
  EXPECT_NE(last->data.find("unauthorized"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return !browser.next(std::chrono::milliseconds(100)) && browser.ended(); }));
}

}  // namespace
}  // namespace tascade::test

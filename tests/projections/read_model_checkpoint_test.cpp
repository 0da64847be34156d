#include "events/codec/payload_codec.hpp"
#include "projections/projection_hub.hpp"
#include "projections/read_model_checkpoint.hpp"
#include "projections/rebuild.hpp"
#include "tascade/errc.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <cstring>

namespace tascade {
namespace {

namespace json = boost::json;

// A history touching every container of the read model: hierarchy, dependencies, leases and
// reservations in every outcome, artifacts, integration attempts, keys, and governance (gate
// rules and decisions, changesets that rewrite indexed fields, invalidations, drift).
std::vector<events::event> varied_history() {
  std::vector<events::event> h;
  auto p = project_id::random(), q = project_id::random();
  auto ph = phase_id::random(), ph2 = phase_id::random();
  auto m = milestone_id::random(), m2 = milestone_id::random();
  h.push_back(events::project_created{p, "Alpha", plan_version_id::random()});
  h.push_back(events::project_created{q, "Beta", plan_version_id::random()});
  h.push_back(events::phase_created{ph, p, "A", 0, 1, "P1"});
  h.push_back(events::phase_created{ph2, p, "B", 1, 2, "P2"});
  h.push_back(events::milestone_created{m, p, ph, "MA", 0, 1, "P1.M1"});
  h.push_back(events::milestone_created{m2, p, ph2, "MB", 1, 1, "P2.M1"});
  std::vector<task_id> tasks;
  for (int i = 0; i < 12; ++i) {
    events::task_created t;
    t.id = task_id::random();
    t.project = p;
    t.phase = i % 2 ? ph2 : ph;
    t.milestone = i % 2 ? m2 : m;
    t.short_id = "P1.M1.T" + std::to_string(i + 1);
    t.title = "task " + std::to_string(i);
    t.description = i % 3 ? std::optional<std::string>("does " + std::to_string(i)) : std::nullopt;
    t.priority = 100 - i % 4;
    t.klass = task_class::backend;
    t.capability_tags = i % 3 ? std::vector<std::string>{"backend"}
                              : std::vector<std::string>{"api", "frontend"};
    t.expected_touches = {"src/a" + std::to_string(i) + ".cpp"};
    t.work_spec = json::object{{"goal", "g" + std::to_string(i)}, {"n", i}, {"x", 1.5}};
    tasks.push_back(t.id);
    h.push_back(std::move(t));
  }
  events::task_created gate;
  gate.id = task_id::random();
  gate.project = p;
  gate.phase = ph;
  gate.milestone = m;
  gate.short_id = "P1.M1.G1";
  gate.title = "review gate";
  gate.klass = task_class::review_gate;
  gate.work_spec = json::object{
    {"candidate_task_ids", json::array{tasks[0].str(), tasks[1].str(), tasks[0].str()}}};
  h.push_back(gate);
  for (int i = 1; i < 6; ++i)
    h.push_back(events::dependency_added{edge_id::random(), p, tasks[i - 1], tasks[i],
                                         i % 2 ? unlock_on::implemented : unlock_on::integrated});
  auto claim = [&](const task_id& t, uint64_t fencing, const std::string& agent) {
    events::task_claimed c;
    c.task = t;
    c.project = p;
    c.lease = uuid::random();
    c.token = "tok" + std::to_string(fencing);
    c.agent = agent;
    c.fencing = fencing;
    c.ttl_micros = 30'000'000;
    c.expires_at = timestamp{1'000'000 + int64_t(fencing)};
    c.snapshot = uuid::random();
    c.work_spec_hash = "hash" + std::to_string(fencing);
    return c;
  };
  auto c0 = claim(tasks[0], 1, "agent-a");
  h.push_back(c0);
  h.push_back(events::lease_renewed{tasks[0], p, c0.lease, 1, timestamp{9'000'000}});
  events::task_state_transitioned tr;
  tr.task = tasks[0];
  tr.project = p;
  tr.from = task_state::claimed;
  tr.to = task_state::in_progress;
  tr.actor = "agent-a";
  h.push_back(tr);
  h.push_back(events::artifact_recorded{uuid::random(), tasks[0], p, 1, "A1", "agent-a",
                                        std::string("feat"), std::string("abc123"), std::nullopt,
                                        "passed", {"src/a0.cpp", "src/other.cpp"}});
  h.push_back(events::scope_drift_detected{tasks[0], p, uuid::random(), {"src/other.cpp"},
                                           {"src/a0.cpp"}});
  tr.from = task_state::in_progress;
  tr.to = task_state::implemented;
  tr.lease_released = true;
  h.push_back(tr);
  h.push_back(events::tasks_unlocked{p, tasks[0], task_state::implemented, {tasks[1]}});
  auto attempt = uuid::random();
  h.push_back(events::integration_attempt_enqueued{attempt, tasks[0], p, 1, "I1",
                                                   std::string("base"), std::nullopt,
                                                   json::object{{"queued", true}}});
  h.push_back(events::integration_result_recorded{attempt, tasks[0], p, "passed",
                                                  json::object{{"log", "ok"}}});
  auto c1 = claim(tasks[1], 2, "agent-b");
  h.push_back(c1);
  h.push_back(events::lease_expired{tasks[1], p, c1.lease, 2, "agent-b", task_state::claimed});
  auto reservation = uuid::random();
  h.push_back(events::task_assigned{tasks[6], p, reservation, "agent-c", "lead", 60'000'000,
                                    timestamp{70'000'000}});
  h.push_back(events::task_assigned{tasks[7], p, uuid::random(), "agent-c", "lead", 60'000'000,
                                    timestamp{70'000'000}});
  h.push_back(events::reservation_released{tasks[6], p, reservation, "agent-c", "expired"});
  auto key = uuid::random();
  h.push_back(events::key_created{key, "*", "admin", {"admin"}, std::string(64, 'a'), "boot"});
  h.push_back(events::key_created{uuid::random(), p.str(), "agent", {"agent"},
                                  std::string(64, 'b'), "admin"});
  h.push_back(events::key_revoked{key, "*", "admin"});
  auto rule = uuid::random();
  h.push_back(events::gate_rule_created{rule, p, "review", json::object{{"phase", "P1"}},
                                        json::object{{"min", 1}}, json::object{},
                                        {"reviewer"}, true});
  h.push_back(events::gate_decision_recorded{uuid::random(), p, rule, gate.id, std::nullopt,
                                             "approved", "rev", "fine", {"ev1"}});
  auto c3 = claim(tasks[8], 3, "agent-d");
  h.push_back(c3);
  auto changeset = uuid::random();
  json::array updates{json::object{
    {"task_id", tasks[8].str()},
    {"fields", json::object{{"priority", 5}, {"capability_tags", json::array{"db"}}}}}};
  h.push_back(events::changeset_created{changeset, p, 1, 2, json::array{json::object{
                                                              {"op", "update_task"}}},
                                        "lead"});
  h.push_back(events::changeset_applied{changeset, p, plan_version_id::random(), 2, 1, false,
                                        updates, {tasks[8]}});
  h.push_back(events::lease_invalidated{tasks[8], p, c3.lease, 3, "agent-d", task_state::claimed,
                                        changeset, 2});
  h.push_back(events::task_assigned{tasks[9], p, reservation, "agent-e", "lead", 1, timestamp{2}});
  h.push_back(events::reservation_invalidated{tasks[9], p, reservation, "agent-e", changeset, 2});
  // The planner (issue 17): a plan, a callback's card, and its application to the project.
  auto plan = uuid::random(), node = uuid::random();
  h.push_back(events::plan_created{
    plan, "proj-1", "run-1",
    json::object{{"status", "Winning"},
                 {"nodes", json::array{json::object{{"id", node.str()},
                                                    {"artifactsOut", json::array{}}}}},
                 {"edges", json::array{}}}});
  h.push_back(events::context_card_recorded{uuid::random(), plan, node, "done",
                                            json::object{{"summary", "s"}},
                                            json::array{json::object{{"uri", "git:1"}}}});
  h.push_back(events::plan_applied{plan, p, changeset, 2,
                                   json::array{json::object{{"node_id", node.str()},
                                                            {"task_id", tasks[9].str()}}},
                                   json::object{}});
  return h;
}

std::vector<event_record> records_of(const std::vector<events::event>& history) {
  std::vector<event_record> out;
  for (auto& ev : history) {
    event_record rec;
    rec.seq = out.size() + 1;
    rec.type = std::string(events::type_of(ev));
    rec.schema = events::schema_of(ev);
    rec.time = timestamp{int64_t(1000 * rec.seq)};
    rec.payload = events::encode_payload(ev);
    out.push_back(std::move(rec));
  }
  return out;
}

// What the queries show, beyond the digest: these read the indexes (ready, by state, by
// capability, reservations), which the digest does not cover.
std::string query_view(const read_model& m) {
  std::string out;
  for (auto* p : m.projects()) {
    out += p->name + ":";
    task_query q;
    q.project = p->id;
    q.limit = 1000;
    for (auto* t : m.tasks(q).items)
      out += t->short_id + ",";
    for (size_t s = 0; s < task_state_names.size(); ++s) {
      q.state = task_state(s);
      out += "|" + std::to_string(m.tasks(q).total);
    }
    q.state.reset();
    q.capability = "db";
    out += "|db" + std::to_string(m.tasks(q).total);
    for (auto agent : {"agent-c", "agent-e", "x"})
      for (auto* t : m.ready_tasks(p->id, agent, {}))
        out += std::string(" ready:") + agent + ":" + t->short_id;
    for (auto* t : m.ready_tasks(p->id, "x", {"backend"}))
      out += " backend:" + t->short_id;
    for (auto& b : m.blocked_candidates(p->id, "x", 10))
      out += " blocked:" + b.task->short_id + ":" + b.reason;
  }
  for (auto* k : m.keys("*"))
    out += " key:" + k->name + ":" + k->status;
  // The lookup indexes: short ids, key hashes, phases and milestones by sequence, edges.
  for (auto* p : m.projects()) {
    for (auto* t : m.tasks_in_order(p->id)) {
      auto [found, by_short] = m.resolve_task(t->short_id);
      out += " short:" + std::to_string(int(found)) + (by_short == t ? "=" : "!");
      for (auto& [rel, depth] : m.related(t->id, false, 3))
        out += " dep:" + rel->short_id + ":" + std::to_string(depth);
    }
    for (auto* ph : m.phases(p->id))
      out += " phase:" + ph->short_id;
    for (auto* mi : m.milestones(p->id))
      out += " milestone:" + mi->short_id;
    out += " edges:" + std::to_string(m.edges(p->id).size());
  }
  for (auto hash : {std::string(64, 'a'), std::string(64, 'b')})
    out += m.key_by_hash(hash) ? " hash:" + m.key_by_hash(hash)->name : " hash:none";
  return out;
}

TEST(ReadModelCheckpoint, EveryCutRoundTripsAndTheTailGivesTheFullRebuildsDigest) {
  auto recs = records_of(varied_history());
  read_model full;
  for (auto& r : recs)
    full.apply(r);
  auto want_digest = full.digest();
  auto want_view = query_view(full);
  sha256_digest head{};
  head[0] = 7;
  for (size_t cut = 1; cut <= recs.size(); ++cut) {
    read_model part;
    for (size_t i = 0; i < cut; ++i)
      part.apply(recs[i]);
    auto bytes = read_model_checkpoint::encode(part, head);
    auto loaded = read_model_checkpoint::decode(bytes);
    ASSERT_TRUE(loaded) << "cut " << cut << ": " << message_of(loaded.error());
    EXPECT_EQ(loaded->head_hash, head);
    EXPECT_EQ(loaded->model.checkpoint(), cut);
    EXPECT_EQ(loaded->model.digest(), part.digest()) << "cut " << cut;
    EXPECT_EQ(query_view(loaded->model), query_view(part)) << "cut " << cut;
    for (size_t i = cut; i < recs.size(); ++i)
      loaded->model.apply(recs[i]);
    EXPECT_EQ(loaded->model.digest(), want_digest) << "cut " << cut;
    EXPECT_EQ(query_view(loaded->model), want_view) << "cut " << cut;
  }
  // The history did reach the parts it is meant to exercise.
  EXPECT_NE(want_view.find("|db1"), std::string::npos) << want_view;
  EXPECT_NE(want_view.find("ready:agent-c:"), std::string::npos) << want_view;
  EXPECT_NE(want_view.find("hash:agent"), std::string::npos) << want_view;
  EXPECT_NE(want_view.find("dep:"), std::string::npos) << want_view;
}

TEST(ReadModelCheckpoint, DamagedTruncatedOrOtherFormatBytesAreRefused) {
  auto recs = records_of(varied_history());
  read_model m;
  for (auto& r : recs)
    m.apply(r);
  auto bytes = read_model_checkpoint::encode(m, {});
  ASSERT_TRUE(read_model_checkpoint::decode(bytes));

  auto flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x40;
  auto r = read_model_checkpoint::decode(flipped);
  ASSERT_FALSE(r);
  EXPECT_NE(message_of(r.error()).find("checksum"), std::string::npos);

  EXPECT_FALSE(read_model_checkpoint::decode(bytes.substr(0, bytes.size() / 3)));
  EXPECT_FALSE(read_model_checkpoint::decode(""));
  EXPECT_FALSE(read_model_checkpoint::decode("not a checkpoint at all, just some bytes......"));

  auto older = bytes;
  uint32_t version = read_model_checkpoint::format_version - 1;
  std::memcpy(older.data() + 8, &version, sizeof version);
  r = read_model_checkpoint::decode(older);
  ASSERT_FALSE(r);
  EXPECT_NE(message_of(r.error()).find("format version"), std::string::npos);
}

// Against a real log: the restore path the server takes at start.
struct CheckpointStore : ::testing::Test {
  test::temp_dir dir;
  std::unique_ptr<event_log> log;
  std::vector<event_record> recs = records_of(varied_history());
  stream_version version = 0;

  CheckpointStore() { log = std::move(*event_log::open(dir.str())); }

  void append(size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      new_event e;
      e.stream = "test:1";
      e.version = ++version;
      e.type = recs[i].type;
      e.schema = recs[i].schema;
      e.time = recs[i].time;
      e.principal = "test";
      e.payload = recs[i].payload;
      ASSERT_TRUE(log->append({{e}})[0]);
    }
  }
  std::string full_digest() {
    projection_hub hub;
    EXPECT_TRUE(rebuild_projections(*log, hub));
    return hub.read([](const read_model& m) { return m.digest(); });
  }
};

TEST_F(CheckpointStore, StartFromTheNewestCheckpointThenTheTail) {
  append(0, 20);
  {
    projection_hub hub;
    ASSERT_TRUE(rebuild_projections(*log, hub));
    auto at = write_checkpoint(*log, hub);
    ASSERT_TRUE(at);
    EXPECT_EQ(*at, 20u);
  }
  append(20, 30);
  {
    projection_hub hub;
    ASSERT_TRUE(rebuild_projections(*log, hub));
    ASSERT_EQ(*write_checkpoint(*log, hub), 30u);
  }
  append(30, recs.size());
  projection_hub hub;
  EXPECT_EQ(restore_checkpoint(*log, hub), 30u);
  auto tail = rebuild_projections(*log, hub);
  ASSERT_TRUE(tail);
  EXPECT_EQ(*tail, recs.size() - 30);
  EXPECT_EQ(hub.read([](const read_model& m) { return m.digest(); }), full_digest());
  // Older checkpoints were dropped when a newer one was written.
  ASSERT_TRUE(log->drop_snapshots_before(read_model_checkpoint::stream, 30));
  auto newest = log->latest_snapshot(read_model_checkpoint::stream);
  ASSERT_TRUE(newest && *newest);
  EXPECT_EQ((*newest)->version, 30u);
}

TEST_F(CheckpointStore, ABadCheckpointFallsBackToAFullRebuild) {
  append(0, recs.size());
  projection_hub hub;
  EXPECT_EQ(restore_checkpoint(*log, hub), 0u);  // none yet

  ASSERT_TRUE(log->put_snapshot(read_model_checkpoint::stream, 10, "garbage"));
  EXPECT_EQ(restore_checkpoint(*log, hub), 0u);
  EXPECT_EQ(hub.read([](const read_model& m) { return m.checkpoint(); }), 0u);

  // A well-formed checkpoint of another history at the same position: the hashes differ.
  read_model other;
  auto history = records_of(varied_history());
  for (size_t i = 0; i < 12; ++i)
    other.apply(history[i]);
  ASSERT_TRUE(log->put_snapshot(read_model_checkpoint::stream, 12,
                                read_model_checkpoint::encode(other, sha256_digest{})));
  EXPECT_EQ(restore_checkpoint(*log, hub), 0u);

  // One ahead of the log (a log restored from an older backup).
  auto head = log->read(log->head());
  ASSERT_TRUE(head);
  read_model ahead;
  for (auto& r : history)
    ahead.apply(r);
  event_record extra = history.back();
  extra.seq = history.size() + 1;
  ahead.apply(extra);
  ASSERT_TRUE(log->put_snapshot(read_model_checkpoint::stream, extra.seq,
                                read_model_checkpoint::encode(ahead, head->hash)));
  EXPECT_EQ(restore_checkpoint(*log, hub), 0u);
  EXPECT_EQ(hub.read([](const read_model& m) { return m.checkpoint(); }), 0u);

  // A rebuild from event 1 still gives the right model.
  ASSERT_TRUE(rebuild_projections(*log, hub));
  EXPECT_EQ(hub.read([](const read_model& m) { return m.digest(); }), full_digest());
}

// A large rebuild decodes on helper threads and applies in order: whatever the helpers and
// batch size, it gives the model applied live, event by event.
TEST_F(CheckpointStore, DecodingOnHelperThreadsGivesTheLiveModel) {
  append(0, recs.size());
  read_model live;
  for (auto& r : recs)
    live.apply(r);
  for (unsigned decoders : {1u, 2u, 3u}) {
    for (uint64_t batch : {1u, 3u, 7u, 1000u}) {
      projection_hub hub;
      auto applied = rebuild_projections(*log, hub, {}, {decoders, batch});
      ASSERT_TRUE(applied) << message_of(applied.error());
      EXPECT_EQ(*applied, recs.size());
      EXPECT_EQ(hub.read([](const read_model& m) { return m.digest(); }), live.digest())
        << decoders << " decoders, batches of " << batch;
    }
  }
}

TEST_F(CheckpointStore, AnUndecodableEventStopsTheRebuildAfterTheEventsBeforeIt) {
  append(0, recs.size());
  global_seq bad = 11;
  ASSERT_TRUE(log->db()->Put({}, log->events_family(), seq_key(bad), "garbage").ok());
  for (unsigned decoders : {0u, 1u, 2u}) {
    projection_hub hub;
    auto applied = rebuild_projections(*log, hub, {}, {decoders, 4});
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.error(), errc::storage_failure);
    EXPECT_EQ(hub.read([](const read_model& m) { return m.checkpoint(); }), bad - 1)
      << decoders << " decoders";
  }
}

}  // namespace
}  // namespace tascade

#include "events/codec/payload_codec.hpp"
#include "projections/read_model.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

// Feeds events straight into a read model, as the log writer would.
struct ReadModelTest : ::testing::Test {
  read_model model;
  std::vector<event_record> fed;
  global_seq seq = 0;
  project_id project = project_id::random();
  phase_id phase_a = phase_id::random(), phase_b = phase_id::random();
  milestone_id milestone_a = milestone_id::random(), milestone_b = milestone_id::random();

  void feed(const events::event& ev, int64_t micros) {
    event_record rec;
    rec.seq = ++seq;
    rec.type = std::string(events::type_of(ev));
    rec.schema = events::schema_of(ev);
    rec.time = timestamp{micros};
    rec.payload = events::encode_payload(ev);
    model.apply(rec);
    fed.push_back(rec);
  }
  task_id add_task(std::string title, int64_t priority, std::vector<std::string> tags,
                   bool in_b, int64_t micros, const project_id& p) {
    events::task_created t;
    t.id = task_id::random();
    t.project = p;
    t.phase = in_b ? phase_b : phase_a;
    t.milestone = in_b ? milestone_b : milestone_a;
    t.short_id = "P1.M1.T" + std::to_string(seq + 1);
    t.title = std::move(title);
    t.priority = priority;
    t.klass = task_class::backend;
    t.capability_tags = std::move(tags);
    feed(t, micros);
    return t.id;
  }

  ReadModelTest() {
    feed(events::project_created{project, "Alpha", plan_version_id::random()}, 10);
    feed(events::phase_created{phase_a, project, "A", 0, 1, "P1"}, 11);
    feed(events::phase_created{phase_b, project, "B", 1, 2, "P2"}, 12);
    feed(events::milestone_created{milestone_a, project, phase_a, "MA", 0, 1, "P1.M1"}, 13);
    feed(events::milestone_created{milestone_b, project, phase_b, "MB", 1, 1, "P2.M1"}, 14);
  }

  std::vector<std::string> titles(const task_query& q, size_t* total = nullptr) {
    auto page = model.tasks(q);
    if (total)
      *total = page.total;
    std::vector<std::string> out;
    for (auto* t : page.items)
      out.push_back(t->title);
    return out;
  }
};

TEST_F(ReadModelTest, TasksOrderByPriorityThenCreationAndFilterByEveryIndex) {
  add_task("t1", 100, {"backend"}, false, 100, project);
  add_task("t2", 100, {"frontend"}, false, 200, project);
  add_task("t3", 100, {"backend", "api"}, true, 300, project);
  add_task("urgent", 1, {}, true, 400, project);
  task_query q;
  q.project = project;
  size_t total = 0;
  EXPECT_EQ(titles(q, &total), (std::vector<std::string>{"urgent", "t1", "t2", "t3"}));
  EXPECT_EQ(total, 4u);
  q.phase = phase_a;
  EXPECT_EQ(titles(q), (std::vector<std::string>{"t1", "t2"}));
  q.phase.reset();
  q.capability = "backend";
  EXPECT_EQ(titles(q), (std::vector<std::string>{"t1", "t3"}));
  q.phase = phase_b;
  EXPECT_EQ(titles(q), (std::vector<std::string>{"t3"}));
  q = {};
  q.project = project;
  q.state = task_state::in_progress;
  EXPECT_TRUE(titles(q).empty());
  q.state = task_state::ready;
  q.limit = 2;
  q.offset = 1;
  EXPECT_EQ(titles(q, &total), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(total, 4u);
  q.capability = "nobody-has-this";
  EXPECT_TRUE(titles(q, &total).empty());
  EXPECT_EQ(total, 0u);
}

TEST_F(ReadModelTest, ProjectsAreNewestFirstAndShortIdsResolveAcrossProjects) {
  auto other = project_id::random();
  feed(events::project_created{other, "Beta", plan_version_id::random()}, 20);
  auto projects = model.projects();
  ASSERT_EQ(projects.size(), 2u);
  EXPECT_EQ(projects[0]->name, "Beta");
  auto mine = add_task("mine", 100, {}, false, 30, project);
  EXPECT_EQ(model.resolve_task(mine.str()).second->title, "mine");
  auto short_id = model.task(mine)->short_id;
  EXPECT_EQ(model.resolve_task(short_id).first, task_ref_result::found);
  EXPECT_EQ(model.resolve_task("P9.M9.T9").first, task_ref_result::not_found);
  // A second task with the same short id in another project makes the short id ambiguous.
  events::task_created twin;
  twin.id = task_id::random();
  twin.project = other;
  twin.short_id = short_id;
  twin.title = "twin";
  feed(twin, 40);
  EXPECT_EQ(model.resolve_task(short_id).first, task_ref_result::ambiguous);
  EXPECT_EQ(model.resolve_task(mine.str()).first, task_ref_result::found);
}

TEST_F(ReadModelTest, DigestIsEqualForEqualHistoriesAndDiffersOtherwise) {
  add_task("t1", 100, {"backend"}, false, 100, project);
  EXPECT_EQ(model.checkpoint(), seq);
  read_model replica;
  for (auto& rec : fed)
    replica.apply(rec);
  auto before = model.digest();
  EXPECT_EQ(replica.digest(), before);
  add_task("t2", 100, {}, false, 200, project);
  EXPECT_NE(model.digest(), before);
  EXPECT_EQ(before.size(), 64u);
}

TEST_F(ReadModelTest, EventsOfUnknownProjectsAreIgnored) {
  add_task("orphan", 100, {}, false, 100, project_id::random());
  task_query q;
  q.project = project;
  EXPECT_TRUE(titles(q).empty());
  EXPECT_EQ(model.checkpoint(), seq);
}

}  // namespace
}  // namespace tascade

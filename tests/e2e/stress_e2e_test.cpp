// End-to-end concurrency stress (issue 3, "Tests"): 64 simulated agents race over 200 tasks
// with a random dependency DAG against the real tascaded. Workers claim-next with short leases
// and heartbeat, some vanish mid-task (zombies) and come back with their stale token, reviewers
// integrate what others implemented. Afterwards the server's own timelines must show that no
// task was ever held by two live leases, fencing counters only grew, no claim ran ahead of its
// dependencies, every integration had a reviewer other than its implementer, zombie writes were
// refused, and `tascade replay` reproduces the live digest. Two profiles: steady workers with
// 2 s leases, and a lease storm where some workers take leases far shorter than their work.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <latch>
#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr uint32_t seed = 20240611;
constexpr int task_count = 200;
constexpr int agent_count = 64;
constexpr int reviewer_count = 8;  // reviewers never claim, so they never review their own work
constexpr int zombie_count = 12;   // workers whose first claim is abandoned without a word
constexpr int worker_count = agent_count - reviewer_count;
constexpr double worker_ttl = 2.0;     // seconds; workers heartbeat well within it
constexpr double zombie_ttl = 0.3;     // seconds; the zombie's lease must expire during the run
constexpr auto run_limit = 60s;        // the race stops earlier once everything is integrated
constexpr auto zombie_patience = 20s;  // how long a zombie waits to see its lease expire

const std::vector<std::string> tag_pool{"backend", "frontend"};

// ---- the plan ---------------------------------------------------------------------------------

struct planned_edge {
  int from = 0;  // index of the prerequisite
  std::string unlock_on;
};

struct planned_task {
  std::string id;
  std::string short_id;
  std::vector<std::string> tags;
  std::vector<planned_edge> deps;
};

struct plan {
  std::string project;
  std::vector<planned_task> tasks;
  std::unordered_map<std::string, int> index_of;  // task id -> index
};

// 200 tasks, every fifth tagged backend and every fifth (offset) tagged frontend, each
// depending on 0-2 earlier tasks; all created before any agent starts.
plan build_plan(http_client& c) {
  plan p;
  auto h = setup_h(c, "Stress");
  p.project = h.project;
  std::mt19937 rng(seed);
  for (int i = 0; i < task_count; ++i) {
    planned_task t;
    if (i % 5 == 0)
      t.tags = {tag_pool[0]};
    else if (i % 5 == 1)
      t.tags = {tag_pool[1]};
    json::object extra{{"priority", int64_t(rng() % 4)},
                       {"capability_tags", json::array(t.tags.begin(), t.tags.end())}};
    auto created = create_task(c, p.project, h.milestone, "stress-" + std::to_string(i), extra);
    t.id = str(created, "id");
    t.short_id = str(created, "short_id");
    if (i > 0) {
      int wanted = int(rng() % 3);
      std::set<int> chosen;
      for (int k = 0; k < wanted; ++k)
        chosen.insert(int(rng() % uint32_t(i)));
      for (int from : chosen) {
        std::string unlock = rng() % 4 == 0 ? "integrated" : "implemented";
        create_edge(c, p.project, p.tasks[size_t(from)].id, t.id, unlock);
        t.deps.push_back({from, unlock});
      }
    }
    p.index_of[t.id] = i;
    p.tasks.push_back(std::move(t));
  }
  return p;
}

// ---- what the agents saw ----------------------------------------------------------------------

struct claim_record {
  std::string task, agent, token, claimed_at;
  uint64_t fencing = 0;
};

struct lost_lease {  // a worker was told LEASE_FENCED about a lease it believed live
  std::string task, agent;
  uint64_t fencing = 0;
};

struct zombie_report {
  std::string agent, task, token;
  uint64_t fencing = 0;
  bool saw_expiry = false;
  http_response heartbeat, artifact, transition;
};

struct agent_log {
  std::vector<claim_record> claims;
  std::vector<lost_lease> lost;
  std::vector<zombie_report> zombies;
  std::map<std::string, int> outcomes;  // "op status code" -> count
  std::vector<std::string> failures;    // unexpected answers, reported by the main thread
  int integrations = 0;
  int self_review_refusals = 0;  // SELF_REVIEW_NOT_ALLOWED on a regular review: must stay 0
  int self_review_probes = 0;    // deliberate self-reviews that were refused as they must be
};

struct shared_run {
  const plan* p = nullptr;
  const server_process* server = nullptr;  // each agent opens its own client of it
  std::atomic<bool> stop{false};
  // The zombies claim first, so each of them surely gets a task; the other workers wait here.
  std::latch zombies_claimed{zombie_count};
};

std::string describe(const http_response& r) {
  return std::to_string(r.status) + " " + r.body;
}

void note(agent_log& log, const std::string& op, const http_response& r) {
  ++log.outcomes[op + " " + std::to_string(r.status) + " " + error_code(r)];
}

// Paces an agent that found nothing to do, so 56 idle workers do not saturate two cores. This
// is load shaping, not synchronisation: no outcome depends on how long it waits.
class idle_pacer {
 public:
  explicit idle_pacer(uint32_t s) : rng_(s) {}
  void wait() {
    auto ms = std::min(current_ms_, 200) + int(rng_() % 20);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    current_ms_ = std::min(current_ms_ * 2, 200);
  }
  void reset() { current_ms_ = 10; }

 private:
  std::mt19937 rng_;
  int current_ms_ = 10;
};

json::object transition_body(const std::string& project, const std::string& state,
                             const std::string& actor, const std::string& token) {
  return {{"project_id", project}, {"new_state", state},   {"actor_id", actor},
          {"reason", "stress"},    {"lease_token", token}};
}

json::array task_events(http_client& c, const std::string& project, const std::string& task) {
  auto r = c.get("/v1/tasks/" + task + "/events?project_id=" + project);
  return expect_object(r, 200, "task events").at("items").as_array();
}

// ---- workers ----------------------------------------------------------------------------------

struct worker_spec {
  std::string id;
  std::vector<std::string> capabilities;
  bool zombie = false;
  double ttl = worker_ttl;  // seconds, for every claim after a zombie's first
};

// Claimed, then silent: waits (bounded) until the server expires the lease, then writes with the
// stale token as if nothing happened. Every such write must be refused.
void play_zombie(http_client& c, const plan& p, const claim_record& claim, agent_log& log) {
  zombie_report z{claim.agent, claim.task, claim.token, claim.fencing, false, {}, {}, {}};
  auto started = c.post("/v1/tasks/" + claim.task + "/state",
                        transition_body(p.project, "in_progress", claim.agent, claim.token));
  note(log, "zombie-in_progress", started);
  if (started.status != 200 && error_code(started) != "LEASE_FENCED")
    log.failures.push_back("zombie in_progress: " + describe(started));

  auto deadline = clock_type::now() + zombie_patience;
  while (!z.saw_expiry && clock_type::now() < deadline) {
    for (auto& ev : task_events(c, p.project, claim.task)) {
      auto& o = ev.as_object();
      if (o.at("type") == "lease_expired" &&
          o.at("payload").at("fencing_counter").to_number<uint64_t>() == claim.fencing)
        z.saw_expiry = true;
    }
    if (!z.saw_expiry)
      std::this_thread::sleep_for(25ms);  // bounded polling for the server's timer
  }
  z.heartbeat = c.post("/v1/tasks/" + claim.task + "/heartbeat",
                       json::object{{"project_id", p.project},
                                    {"agent_id", claim.agent},
                                    {"lease_token", claim.token}});
  note(log, "zombie-heartbeat", z.heartbeat);
  z.artifact = c.post("/v1/tasks/" + claim.task + "/artifacts",
                      json::object{{"project_id", p.project},
                                   {"agent_id", claim.agent},
                                   {"branch", "zombie/" + claim.agent},
                                   {"lease_token", claim.token}});
  note(log, "zombie-artifact", z.artifact);
  z.transition = c.post("/v1/tasks/" + claim.task + "/state",
                        transition_body(p.project, "implemented", claim.agent, claim.token));
  note(log, "zombie-implemented", z.transition);
  log.zombies.push_back(std::move(z));
}

// The honest path: heartbeat, start, record an artifact, heartbeat, finish, always naming the
// lease.
void do_work(http_client& c, const plan& p, const claim_record& claim, agent_log& log) {
  auto heartbeat = [&] {
    return c.post("/v1/tasks/" + claim.task + "/heartbeat",
                  json::object{{"project_id", p.project},
                               {"agent_id", claim.agent},
                               {"lease_token", claim.token}});
  };
  auto move = [&](const char* state) {
    return c.post("/v1/tasks/" + claim.task + "/state",
                  transition_body(p.project, state, claim.agent, claim.token));
  };
  auto artifact = [&] {
    return c.post("/v1/tasks/" + claim.task + "/artifacts",
                  json::object{{"project_id", p.project},
                               {"agent_id", claim.agent},
                               {"branch", "work/" + claim.agent},
                               {"check_status", "passed"},
                               {"lease_token", claim.token}});
  };
  std::vector<std::pair<std::string, std::function<http_response()>>> steps{
    {"heartbeat", heartbeat},
    {"in_progress", [&] { return move("in_progress"); }},
    {"artifact", artifact},
    {"heartbeat", heartbeat},
    {"implemented", [&] { return move("implemented"); }}};
  for (auto& [op, step] : steps) {
    auto r = step();
    note(log, op, r);
    if (r.status == 200 || (op == "artifact" && r.status == 201))
      continue;
    // Under heavy load a lease may lapse between two steps; the server must then say so.
    if (r.status == 409 && error_code(r) == "LEASE_FENCED")
      log.lost.push_back({claim.task, claim.agent, claim.fencing});
    else
      log.failures.push_back(claim.agent + " " + op + " " + claim.task + ": " + describe(r));
    return;
  }
}

void run_worker(shared_run& run, const worker_spec& w, uint32_t agent_seed, agent_log& log) {
  try {
    const plan& p = *run.p;
    auto c = run.server->client();
    idle_pacer pacer(agent_seed);
    bool zombie_pending = w.zombie;
    if (!w.zombie)
      run.zombies_claimed.wait();
    while (!run.stop.load()) {
      json::object body{{"project_id", p.project},
                        {"agent_id", w.id},
                        {"ttl_seconds", zombie_pending ? zombie_ttl : w.ttl}};
      if (!w.capabilities.empty())
        body["capabilities"] = json::array(w.capabilities.begin(), w.capabilities.end());
      auto r = c.post("/v1/tasks/claim-next", body);
      note(log, "claim-next", r);
      if (r.status == 409 && error_code(r) == "NOTHING_CLAIMABLE") {
        pacer.wait();
        continue;
      }
      if (r.status != 200) {
        log.failures.push_back(w.id + " claim-next: " + describe(r));
        pacer.wait();
        continue;
      }
      pacer.reset();
      auto claimed = r.json().as_object();
      auto& lease = claimed.at("lease").as_object();
      claim_record rec{str(claimed.at("task").as_object(), "id"), str(lease, "agent_id"),
                       str(lease, "token"), str(lease, "created_at"),
                       lease.at("fencing_counter").to_number<uint64_t>()};
      if (rec.agent != w.id)
        log.failures.push_back(w.id + " was handed a lease of " + rec.agent);
      log.claims.push_back(rec);
      if (zombie_pending) {
        zombie_pending = false;
        run.zombies_claimed.count_down();
        play_zombie(c, p, rec, log);
      } else {
        do_work(c, p, rec, log);
      }
    }
    if (zombie_pending)  // stopped before it ever claimed: let the others go on
      run.zombies_claimed.count_down();
  } catch (const std::exception& e) {
    log.failures.push_back(w.id + " threw: " + e.what());
    if (w.zombie && log.zombies.empty() && log.claims.empty())
      run.zombies_claimed.count_down();
  }
}

// ---- reviewers --------------------------------------------------------------------------------

// Reviewer k integrates the implemented tasks whose plan index is k modulo the reviewer count,
// so two reviewers never race for one task. Its first task is also used to show that the
// implementer cannot review its own work.
void run_reviewer(shared_run& run, int k, agent_log& log) {
  try {
    const plan& p = *run.p;
    std::string me = "reviewer-" + std::to_string(k);
    auto c = run.server->client();
    idle_pacer pacer(seed + 1000 + uint32_t(k));
    bool probed = false;
    while (!run.stop.load()) {
      auto list = c.get("/v1/tasks?project_id=" + p.project + "&state=implemented&limit=1000");
      note(log, "list-implemented", list);
      if (list.status != 200) {
        log.failures.push_back(me + " list: " + describe(list));
        pacer.wait();
        continue;
      }
      std::vector<std::string> mine;
      auto listed = list.json();
      for (auto& item : listed.at("items").as_array()) {
        auto id = std::string(item.at("id").as_string());
        if (p.index_of.at(id) % reviewer_count == k)
          mine.push_back(id);
      }
      if (mine.empty()) {
        pacer.wait();
        continue;
      }
      pacer.reset();
      for (auto& task : mine) {
        if (run.stop.load())
          break;
        json::object review{{"project_id", p.project},
                            {"new_state", "integrated"},
                            {"actor_id", "integrator"},
                            {"reason", "reviewed"},
                            {"reviewed_by", me},
                            {"review_evidence_refs", json::array{"review://" + me + "/" + task}}};
        if (!probed) {
          probed = true;
          std::string implementer;
          for (auto& ev : task_events(c, p.project, task))
            if (ev.at("type") == "task_state_transitioned" &&
                ev.at("payload").at("to_state") == "implemented")
              implementer = std::string(ev.at("payload").at("actor_id").as_string());
          auto self = review;
          self["reviewed_by"] = implementer;
          auto r = c.post("/v1/tasks/" + task + "/state", self);
          note(log, "self-review-probe", r);
          if (r.status == 409 && error_code(r) == "SELF_REVIEW_NOT_ALLOWED")
            ++log.self_review_probes;
          else
            log.failures.push_back(me + " self-review of " + task + " by " + implementer +
                                   " was not refused: " + describe(r));
        }
        auto r = c.post("/v1/tasks/" + task + "/state", review);
        note(log, "integrate", r);
        if (r.status == 200 && str(r.json().at("task").as_object(), "state") == "integrated")
          ++log.integrations;
        else if (r.status == 409 && error_code(r) == "SELF_REVIEW_NOT_ALLOWED")
          ++log.self_review_refusals;
        else
          log.failures.push_back(me + " integrate " + task + ": " + describe(r));
      }
    }
  } catch (const std::exception& e) {
    log.failures.push_back("reviewer-" + std::to_string(k) + " threw: " + e.what());
  }
}

// ---- the server's own account -----------------------------------------------------------------

struct lease_seen {
  uint64_t fencing = 0;
  std::string agent, token;
};

struct timeline_facts {
  std::vector<claim_record> claims;  // from task_claimed, in log order
  int expiries = 0;
  std::string implementer;                      // actor of the last move to implemented
  std::optional<uint64_t> reached_implemented;  // seq of the first move to implemented
  std::optional<uint64_t> reached_integrated;   // seq of the move to integrated
  std::vector<uint64_t> claim_seqs;
  std::vector<uint64_t> unlock_seqs;  // tasks_unlocked events naming this task
  std::string final_state = "ready";
  std::vector<std::string> artifact_branches;
};

// Walks one task's timeline and checks the lease discipline (a): a claim only when no lease is
// live, strictly growing fencing counters, renewals and expiries of the live lease only, and
// moves of a held task only by its holder. Also checks (b) for the move to integrated.
timeline_facts check_timeline(const planned_task& t, const json::array& items) {
  SCOPED_TRACE("task " + t.short_id + " " + t.id);
  timeline_facts f;
  std::optional<lease_seen> live;
  uint64_t last_fencing = 0, last_seq = 0;
  for (auto& item : items) {
    auto& ev = item.as_object();
    auto seq = ev.at("seq").to_number<uint64_t>();
    EXPECT_GT(seq, last_seq) << "timeline out of order";
    last_seq = seq;
    auto type = std::string(ev.at("type").as_string());
    auto& pl = ev.at("payload").as_object();
    if (type == "task_claimed") {
      auto fencing = pl.at("fencing_counter").to_number<uint64_t>();
      EXPECT_FALSE(live) << "claimed by " << str(pl, "agent_id") << " at seq " << seq
                         << " while the lease of " << (live ? live->agent : "") << " (fencing "
                         << (live ? live->fencing : 0) << ") was live";
      EXPECT_GT(fencing, last_fencing) << "fencing counter did not grow at seq " << seq;
      EXPECT_TRUE(f.final_state == "ready" || f.final_state == "reserved")
        << "claimed in state " << f.final_state << " at seq " << seq;
      last_fencing = std::max(last_fencing, fencing);
      live = lease_seen{fencing, str(pl, "agent_id"), str(pl, "token")};
      f.claims.push_back({t.id, str(pl, "agent_id"), str(pl, "token"), str(ev, "time"), fencing});
      f.claim_seqs.push_back(seq);
      f.final_state = "claimed";
    } else if (type == "lease_renewed") {
      auto fencing = pl.at("fencing_counter").to_number<uint64_t>();
      EXPECT_TRUE(live && live->fencing == fencing) << "renewal of a dead lease at seq " << seq;
    } else if (type == "lease_expired") {
      auto fencing = pl.at("fencing_counter").to_number<uint64_t>();
      EXPECT_TRUE(live && live->fencing == fencing) << "expiry of a dead lease at seq " << seq;
      live.reset();
      ++f.expiries;
      f.final_state = "ready";
    } else if (type == "task_state_transitioned") {
      auto from = str(pl, "from_state"), to = str(pl, "to_state"), actor = str(pl, "actor_id");
      EXPECT_EQ(from, f.final_state) << "transition from a state the task was not in, seq " << seq;
      EXPECT_EQ(pl.at("force"), json::value(false)) << "nobody forces in this test";
      if (from == "claimed" || from == "in_progress") {
        EXPECT_TRUE(live && live->agent == actor)
          << actor << " moved " << from << " -> " << to << " at seq " << seq
          << " without holding the lease (holder: " << (live ? live->agent : "none") << ")";
      }
      bool releases = pl.at("lease_released").as_bool();
      bool keeps = to == "claimed" || to == "in_progress";
      if (live) {
        EXPECT_EQ(releases, !keeps) << "lease_released wrong at seq " << seq;
      } else {
        EXPECT_FALSE(releases) << "released a lease that was not live at seq " << seq;
      }
      if (releases)
        live.reset();
      if (to == "implemented") {
        f.implementer = actor;
        if (!f.reached_implemented)
          f.reached_implemented = seq;
      }
      if (to == "integrated") {
        f.reached_integrated = seq;
        if (!f.reached_implemented)
          f.reached_implemented = seq;
        auto reviewer = pl.at("reviewed_by").is_string()
                          ? std::string(pl.at("reviewed_by").as_string())
                          : std::string();
        // (b): a reviewer, and not the one who implemented it nor the one who moved it.
        EXPECT_FALSE(reviewer.empty()) << "integrated without reviewer at seq " << seq;
        EXPECT_NE(reviewer, f.implementer) << "self-review at seq " << seq;
        EXPECT_NE(reviewer, actor) << "reviewer is the actor at seq " << seq;
        EXPECT_FALSE(pl.at("review_evidence_refs").as_array().empty());
      }
      EXPECT_FALSE(from == "implemented" && to != "integrated")
        << "implemented task moved back to " << to;
      f.final_state = to;
    } else if (type == "artifact_recorded") {
      auto agent = str(pl, "agent_id");
      EXPECT_TRUE(live && live->agent == agent)
        << agent << " recorded an artifact at seq " << seq << " without holding the lease";
      f.artifact_branches.push_back(str(pl, "branch"));
    } else if (type == "tasks_unlocked") {
      f.unlock_seqs.push_back(seq);
    } else if (type != "task_created") {
      ADD_FAILURE() << "unexpected event " << type << " at seq " << seq;
    }
  }
  return f;
}

json::object run_tool(const std::vector<std::string>& args) {
  auto r = run_program(TASCADE_TOOL_PATH, args);
  if (r.exit_code != 0)
    throw std::runtime_error("tascade exited " + std::to_string(r.exit_code) + "\nstdout: " +
                             r.out + "\nstderr: " + r.err);
  boost::system::error_code ec;
  auto v = json::parse(r.out, ec);
  if (ec || !v.is_object())
    throw std::runtime_error("tascade printed no JSON object: " + r.out + "\nstderr: " + r.err);
  return std::move(v.get_object());
}

int integrated_total(http_client& c, const std::string& project) {
  auto r = c.get("/v1/tasks?project_id=" + project + "&state=integrated&limit=0");
  return int(expect_object(r, 200, "count integrated").at("total").to_number<int64_t>());
}

// ---- the test ---------------------------------------------------------------------------------

// How the workers treat their leases. In the lease storm, some workers claim with a TTL far
// shorter than their own work takes, so leases expire mid-work all the time and the tasks are
// claimed again by others; the steady workers make sure everything still gets done.
struct stress_profile {
  const char* name;
  int hasty_workers = 0;
  double hasty_ttl = worker_ttl;
};

// For GoogleTest's and ctest's test names.
void PrintTo(const stress_profile& profile, std::ostream* out) { *out << profile.name; }

class StressE2e : public ::testing::TestWithParam<stress_profile> {};

TEST_P(StressE2e, SixtyFourAgentsRaceOverTwoHundredTasks) {
  auto profile = GetParam();
  running_server s;
  auto p = build_plan(s.client);
  ASSERT_EQ(p.tasks.size(), size_t(task_count));
  size_t edge_count = 0;
  for (auto& t : p.tasks)
    edge_count += t.deps.size();

  shared_run run;
  run.p = &p;
  run.server = &s.server;
  std::vector<worker_spec> workers;
  for (int i = 0; i < worker_count; ++i) {
    worker_spec w;
    char name[16];
    std::snprintf(name, sizeof name, "agent-%02d", i);
    w.id = name;
    if (i % 4 == 1)
      w.capabilities = {tag_pool[0]};
    else if (i % 4 == 2)
      w.capabilities = {tag_pool[1]};
    w.zombie = i < zombie_count;
    if (i >= zombie_count && i < zombie_count + profile.hasty_workers)
      w.ttl = profile.hasty_ttl;
    workers.push_back(std::move(w));
  }
  std::vector<agent_log> logs(agent_count);

  auto started = clock_type::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < worker_count; ++i)
    threads.emplace_back(run_worker, std::ref(run), std::cref(workers[size_t(i)]),
                         seed + uint32_t(i), std::ref(logs[size_t(i)]));
  for (int k = 0; k < reviewer_count; ++k)
    threads.emplace_back(run_reviewer, std::ref(run), k, std::ref(logs[size_t(worker_count + k)]));

  int integrated = 0;
  try {
    auto watcher = s.server.client();
    while (clock_type::now() - started < run_limit) {
      integrated = integrated_total(watcher, p.project);
      if (integrated == task_count)
        break;
      std::this_thread::sleep_for(100ms);  // bounded polling of the server's progress
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "watcher: " << e.what();
  }
  run.stop = true;
  for (auto& t : threads)
    t.join();
  auto elapsed = std::chrono::duration<double>(clock_type::now() - started).count();

  // ---- what the agents were told ----
  std::map<std::string, int> outcomes;
  std::vector<claim_record> told;
  std::vector<lost_lease> lost;
  std::vector<zombie_report> zombies;
  int reviewer_integrations = 0, self_review_refusals = 0, self_review_probes = 0;
  for (size_t i = 0; i < logs.size(); ++i) {
    auto& log = logs[i];
    for (auto& f : log.failures)
      ADD_FAILURE() << f;
    for (auto& [k, v] : log.outcomes)
      outcomes[k] += v;
    told.insert(told.end(), log.claims.begin(), log.claims.end());
    lost.insert(lost.end(), log.lost.begin(), log.lost.end());
    zombies.insert(zombies.end(), log.zombies.begin(), log.zombies.end());
    reviewer_integrations += log.integrations;
    self_review_refusals += log.self_review_refusals;
    self_review_probes += log.self_review_probes;
    if (i < size_t(worker_count)) {
      EXPECT_EQ(log.integrations, 0);
    }
  }
  // Every answer was a success or a client error, never a server error.
  for (auto& [k, v] : outcomes) {
    auto status = k.substr(k.find(' ') + 1, 3);
    EXPECT_TRUE(status[0] == '2' || status[0] == '4') << v << " x " << k;
  }

  // Capability agents only ever got tasks carrying one of their tags.
  std::map<std::string, const worker_spec*> worker_by_id;
  for (auto& w : workers)
    worker_by_id[w.id] = &w;
  for (auto& c : told) {
    auto& caps = worker_by_id.at(c.agent)->capabilities;
    if (caps.empty())
      continue;
    auto& tags = p.tasks[size_t(p.index_of.at(c.task))].tags;
    EXPECT_TRUE(std::any_of(tags.begin(), tags.end(), [&](const std::string& tag) {
      return std::find(caps.begin(), caps.end(), tag) != caps.end();
    })) << c.agent << " with " << caps.front() << " was given task " << c.task;
  }

  // ---- the server's account: timelines of every task ----
  std::vector<timeline_facts> facts;
  for (auto& t : p.tasks)
    facts.push_back(check_timeline(t, task_events(s.client, p.project, t.id)));

  // Every claim the log holds was answered to exactly the agent it names, with its token.
  std::map<std::pair<std::string, uint64_t>, claim_record> logged;
  int claims = 0, expiries = 0, integrations = 0;
  for (auto& f : facts) {
    claims += int(f.claims.size());
    expiries += f.expiries;
    integrations += f.reached_integrated ? 1 : 0;
    for (auto& c : f.claims)
      logged[{c.task, c.fencing}] = c;
  }
  EXPECT_EQ(told.size(), logged.size()) << "claims acknowledged vs claims in the log";
  for (auto& c : told) {
    auto it = logged.find({c.task, c.fencing});
    if (it == logged.end()) {
      ADD_FAILURE() << c.agent << " was told it holds " << c.task << " fencing " << c.fencing
                    << " but the log has no such claim";
      continue;
    }
    EXPECT_EQ(it->second.agent, c.agent);
    EXPECT_EQ(it->second.token, c.token);
    EXPECT_EQ(it->second.claimed_at, c.claimed_at);
  }

  // (c) no claim ran ahead of its prerequisites' unlocking state, and no unlock event was
  // recorded for a task before all of its prerequisites got there.
  int unlock_events = 0;
  for (size_t i = 0; i < p.tasks.size(); ++i) {
    unlock_events += int(facts[i].unlock_seqs.size());
    for (auto& d : p.tasks[i].deps) {
      auto& pre = facts[size_t(d.from)];
      auto reached = d.unlock_on == "integrated" ? pre.reached_integrated
                                                 : pre.reached_implemented;
      for (auto claim_seq : facts[i].claim_seqs)
        EXPECT_TRUE(reached && *reached < claim_seq)
          << p.tasks[i].short_id << " claimed at seq " << claim_seq << " before "
          << p.tasks[size_t(d.from)].short_id << " was " << d.unlock_on;
      for (auto unlock_seq : facts[i].unlock_seqs)
        EXPECT_TRUE(reached && *reached < unlock_seq)
          << p.tasks[i].short_id << " unlocked at seq " << unlock_seq << " before "
          << p.tasks[size_t(d.from)].short_id << " was " << d.unlock_on;
    }
  }

  // Every lease a worker lost mid-work really expired in the log.
  for (auto& l : lost) {
    auto& f = facts[size_t(p.index_of.at(l.task))];
    auto it = logged.find({l.task, l.fencing});
    EXPECT_TRUE(it != logged.end() && it->second.agent == l.agent);
    EXPECT_GT(f.expiries, 0) << l.agent << " was fenced on " << l.task << " without an expiry";
  }

  // (d) zombies: their lease expired, and every write with the stale token was refused.
  EXPECT_EQ(zombies.size(), size_t(zombie_count));
  int zombie_noops = 0;
  for (auto& z : zombies) {
    SCOPED_TRACE("zombie " + z.agent + " on " + z.task);
    EXPECT_TRUE(z.saw_expiry) << "the zombie's lease never expired";
    EXPECT_EQ(z.heartbeat.status, 409) << z.heartbeat.body;
    EXPECT_EQ(error_code(z.heartbeat), "LEASE_FENCED") << z.heartbeat.body;
    EXPECT_EQ(z.artifact.status, 409) << z.artifact.body;
    EXPECT_EQ(error_code(z.artifact), "LEASE_FENCED") << z.artifact.body;
    if (z.transition.status == 200) {
      // Spec §6.4: a move to the current state is a no-op that performs no further checks.
      // Allowed only when someone else already implemented the task; nothing may be written.
      EXPECT_EQ(str(z.transition.json().at("task").as_object(), "state"), "implemented")
        << z.transition.body;
      ++zombie_noops;
    } else {
      EXPECT_EQ(z.transition.status, 409) << z.transition.body;
      EXPECT_EQ(error_code(z.transition), "LEASE_FENCED") << z.transition.body;
    }
    auto& f = facts[size_t(p.index_of.at(z.task))];
    EXPECT_GT(f.expiries, 0);
    EXPECT_EQ(std::count(f.artifact_branches.begin(), f.artifact_branches.end(),
                         "zombie/" + z.agent),
              0)
      << "the zombie's artifact was written";
  }
  EXPECT_GE(expiries, zombie_count);

  // (b) reviewers: the planted self-reviews were refused; no regular review was a self-review.
  EXPECT_EQ(self_review_refusals, 0);
  EXPECT_EQ(self_review_probes, reviewer_count);
  EXPECT_EQ(reviewer_integrations, integrations);
  EXPECT_EQ(integrated, task_count) << "not everything was integrated within the time limit";
  EXPECT_EQ(integrations, task_count);

  // (e) the replay tool agrees with the live server. Timers may still write (a lease of a
  // worker stopped mid-task), so compare at a moment when the checkpoint did not move.
  auto verified = run_tool({"replay", "verify", "--data", s.data.str()});
  EXPECT_EQ(verified.at("ok"), json::value(true)) << json::serialize(verified);
  bool compared = false;
  for (int attempt = 0; attempt < 10 && !compared; ++attempt) {
    auto before = get_digest(s.client);
    auto rebuilt = run_tool({"replay", "rebuild", "--data", s.data.str()});
    auto after = get_digest(s.client);
    if (before.at("checkpoint") != after.at("checkpoint") ||
        rebuilt.at("checkpoint") != before.at("checkpoint"))
      continue;
    compared = true;
    EXPECT_EQ(rebuilt.at("digest"), before.at("digest"));
  }
  EXPECT_TRUE(compared) << "the log never stood still long enough to compare digests";

  std::cout << "[ stress   ] " << profile.name << ": " << agent_count << " agents ("
            << profile.hasty_workers << " hasty), " << task_count << " tasks, "
            << edge_count << " dependencies; claims " << claims << " (acknowledged "
            << told.size() << "), lease expiries " << expiries << " (zombies " << zombies.size()
            << ", zombie no-op moves " << zombie_noops << ", leases lost mid-work " << lost.size()
            << "), unlock events " << unlock_events << ", integrations " << integrations
            << ", self-review probes refused "
            << self_review_probes << ", elapsed " << elapsed << " s\n";
  std::cout << "[ stress   ] outcomes:";
  for (auto& [k, v] : outcomes)
    std::cout << " [" << k << "]=" << v;
  std::cout << "\n";
}

INSTANTIATE_TEST_SUITE_P(Profiles, StressE2e,
                         ::testing::Values(stress_profile{"steady", 0, worker_ttl},
                                           stress_profile{"lease-storm", 16, 0.02}),
                         [](const ::testing::TestParamInfo<stress_profile>& info) {
                           return std::string(info.param.hasty_workers ? "LeaseStorm" : "Steady");
                         });

}  // namespace
}  // namespace tascade::test

// End-to-end property test (issue 3, "Tests"): for several fixed seeds, a random sequence of
// valid and invalid commands over HTTP against one real tascaded. A small model of our own
// predicts every answer (status and error code) from the rules of the spec; each answer must be
// a 2xx or a 4xx with an error envelope, a refused command must leave GET /v1/admin/digest
// untouched, and an accepted one must move the log by exactly the events it implies (none for a
// documented no-op). Some writes carry an Idempotency-Key and are sent twice. At the end, and
// again after SIGKILL and a restart on the same data, the live digest equals `tascade replay
// rebuild`'s, every list and graph answer is unchanged, and keyed writes still replay.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int commands_before_restart = 500;  // steps: one command, or a scenario of ~10
constexpr int commands_after_restart = 200;
constexpr auto settle_deadline = 10s;  // bounded wait for events the server writes on its own

const std::vector<std::string> all_states{
  "backlog", "ready",   "reserved", "claimed",   "in_progress", "implemented",
  "integrated", "conflict", "blocked", "abandoned", "cancelled"};
const std::vector<std::string> agents{"agent-a", "agent-b", "agent-c"};
const std::vector<std::string> reviewers{"rev-x", "rev-y"};
const std::vector<std::string> tags{"backend", "frontend"};
// Ids that name nothing: not a UUID, the nil UUID, an unknown UUID, a short id.
const std::vector<std::string> bad_ids{"not-a-uuid", "00000000-0000-0000-0000-000000000000",
                                       "3f2b8c1e-9d4a-4b6e-8f1a-2c3d4e5f6a7b", "P1.M1.T1"};

// ---- the rules, as the spec states them (§6.2 table, §7.1 unlocks) ----------------------------

bool holds_lease(const std::string& s) { return s == "claimed" || s == "in_progress"; }

bool satisfies(const std::string& state, const std::string& unlock_on) {
  if (unlock_on == "integrated")
    return state == "integrated";
  return state == "implemented" || state == "integrated";
}

bool ttl_ok(double seconds) { return seconds >= 0.01 && seconds <= 86400; }

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// ---- the model --------------------------------------------------------------------------------

struct m_lease {
  std::string token, agent;
  uint64_t fencing = 0;
};

struct m_task {
  std::string id, project, milestone, phase, klass, short_id;
  int64_t priority = 100;
  int order = 0;  // creation order, the tie-break after priority
  std::vector<std::string> tags;
  std::string state = "ready";
  std::optional<m_lease> lease;
  std::optional<std::string> reserved_for;
  uint64_t fencing = 0;
  std::optional<std::string> implemented_by;
  std::map<std::string, std::string> ended;    // token -> "released" | "expired"
  std::map<std::string, std::string> lost_by;  // agent -> how it lost its lease
  std::vector<m_lease> history;                // every lease ever granted
};

bool claimable_state(const m_task& t) { return t.state == "ready" || t.state == "reserved"; }

struct m_milestone {
  std::string id, phase;
};

struct m_project {
  std::string id;
  std::set<int64_t> phase_seqs, milestone_seqs;
  std::vector<std::string> phases;
  std::vector<m_milestone> milestones;
};

struct m_edge {
  std::string from, to, unlock;
};

struct model {
  std::vector<m_project> projects;
  std::map<std::string, m_task> tasks;
  std::vector<std::string> order;  // task ids in creation order
  std::vector<m_edge> edges;
  std::map<std::string, std::string> attempts;  // attempt id -> task id

  m_project* project(const std::string& id) {
    for (auto& p : projects)
      if (p.id == id)
        return &p;
    return nullptr;
  }
  m_task* task(const std::string& id) {
    auto it = tasks.find(id);
    return it == tasks.end() ? nullptr : &it->second;
  }
  int unmet(const m_task& t) const {
    int n = 0;
    for (auto& e : edges)
      if (e.to == t.id && !satisfies(tasks.at(e.from).state, e.unlock))
        ++n;
    return n;
  }
  bool edge_exists(const std::string& from, const std::string& to) const {
    return std::any_of(edges.begin(), edges.end(),
                       [&](const m_edge& e) { return e.from == from && e.to == to; });
  }
  // Adding from -> to closes a cycle when `from` is reachable from `to`.
  bool closes_cycle(const std::string& from, const std::string& to) const {
    std::set<std::string> seen{to};
    std::vector<std::string> stack{to};
    while (!stack.empty()) {
      auto at = stack.back();
      stack.pop_back();
      if (at == from)
        return true;
      for (auto& e : edges)
        if (e.from == at && seen.insert(e.to).second)
          stack.push_back(e.to);
    }
    return false;
  }
  static bool caps_match(const m_task& t, const std::vector<std::string>& caps) {
    if (caps.empty())
      return true;
    return std::any_of(t.tags.begin(), t.tags.end(), [&](const std::string& tag) {
      return std::find(caps.begin(), caps.end(), tag) != caps.end();
    });
  }
  // The project's tasks matching `pred`, by priority then age.
  template <class Pred>
  std::vector<const m_task*> sorted(const std::string& project, Pred pred) const {
    std::vector<const m_task*> out;
    for (auto& id : order) {
      auto& t = tasks.at(id);
      if (t.project == project && pred(t))
        out.push_back(&t);
    }
    std::stable_sort(out.begin(), out.end(), [](const m_task* a, const m_task* b) {
      return a->priority != b->priority ? a->priority < b->priority : a->order < b->order;
    });
    return out;
  }
  bool ready_for(const m_task& t, const std::string& agent,
                 const std::vector<std::string>& caps) const {
    bool open = t.state == "ready" || (t.state == "reserved" && t.reserved_for == agent);
    return open && unmet(t) == 0 && caps_match(t, caps);
  }
  // GET /v1/tasks/ready: ready tasks and the agent's reservations, by priority then age.
  std::vector<std::string> ready_list(const std::string& project, const std::string& agent,
                                      const std::vector<std::string>& caps) const {
    std::vector<std::string> out;
    for (auto* t : sorted(project, [&](const m_task& t) { return ready_for(t, agent, caps); }))
      out.push_back(t->id);
    return out;
  }
  // claim-next: the agent's reservations first, then the ready list.
  std::optional<std::string> next_for(const std::string& project, const std::string& agent,
                                      const std::vector<std::string>& caps) const {
    std::optional<std::string> first_ready;
    for (auto* t : sorted(project, [&](const m_task& t) { return ready_for(t, agent, caps); })) {
      if (t->state == "reserved")
        return t->id;
      if (!first_ready)
        first_ready = t->id;
    }
    return first_ready;
  }
  // After `t` moved from `before` to implemented or integrated: the dependents it newly leaves
  // claimable (edges `before` did not satisfy), which the server records in one tasks_unlocked
  // event of its own.
  std::vector<std::string> freed_by(const m_task& t, const std::string& before) const {
    std::vector<std::string> out;
    for (auto& e : edges) {
      if (e.from != t.id)
        continue;
      auto& d = tasks.at(e.to);
      if (satisfies(t.state, e.unlock) && !satisfies(before, e.unlock) && unmet(d) == 0 &&
          (d.state == "ready" || d.state == "reserved"))
        out.push_back(d.id);
    }
    return out;
  }
  std::vector<std::string> task_ids(const std::string& project) const {
    std::vector<std::string> out;
    for (auto& id : order)
      if (tasks.at(id).project == project)
        out.push_back(id);
    return out;
  }
};

// The fencing check of a write by `agent`, optionally naming a lease token or fencing counter
// (issue 3): a proof must name the live lease; a former holder may not write once its lease
// expired (until it claims again), nor, after releasing it, once another agent holds the task.
std::optional<std::string> fenced(const m_task& t, const std::string& agent,
                                  const std::optional<std::string>& token,
                                  std::optional<uint64_t> fencing = std::nullopt) {
  auto judge = [&](const std::string& how) -> std::optional<std::string> {
    if (how != "released" || t.lease)
      return "LEASE_FENCED";
    return std::nullopt;
  };
  if (token && !(t.lease && *token == t.lease->token)) {
    auto it = t.ended.find(*token);
    if (it == t.ended.end())
      return "LEASE_INVALID";
    if (auto refused = judge(it->second))
      return refused;
  }
  if (fencing && (!t.lease || *fencing != t.lease->fencing)) {
    if (*fencing > t.fencing)
      return "LEASE_INVALID";
    if (t.lease || *fencing < t.fencing)
      return "LEASE_FENCED";
  }
  if (t.lease && t.lease->agent == agent)
    return std::nullopt;
  if (auto it = t.lost_by.find(agent); it != t.lost_by.end())
    return judge(it->second);
  return std::nullopt;
}

// ---- expectations -----------------------------------------------------------------------------

struct expectation {
  int status = 0;
  std::string code;  // for refusals
  int events = 0;    // written by the command itself when accepted
};

int status_of(const std::string& code) {
  if (code == "VALIDATION_ERROR")
    return 422;
  if (code.size() > 10 && code.compare(code.size() - 10, 10, "_NOT_FOUND") == 0)
    return 404;
  return 409;
}
expectation refuse(const std::string& code) { return {status_of(code), code, 0}; }
expectation accept(int status, int events = 1) { return {status, "", events}; }

// One request with what the model expects of it. `apply` runs on an accepted answer: it updates
// the model from the answer and returns the events the server writes on its own because of it.
// `check` runs on any answer of a read.
struct command {
  std::string method = "POST";
  std::string target;
  json::value body;
  std::optional<std::string> raw_body;  // sent as-is instead of `body`
  expectation expect;
  std::function<int(const json::object&)> apply;
  std::function<void(const http_response&)> check;
  bool read = false;
};

std::string describe(const command& c) {
  return c.method + " " + c.target + " " + (c.raw_body ? *c.raw_body : json::serialize(c.body));
}

// ---- the world under test ---------------------------------------------------------------------

class property_run {
 public:
  explicit property_run(uint32_t seed) : seed_(seed), rng_(seed) {}

  void start() {
    server_.emplace(data_.str());
    client_.emplace(server_->client());
  }
  void restart_after_sigkill() {
    // A key printed on the first start is not printed again; keep sending the one we have.
    auto headers = client_->default_headers();
    client_.reset();
    server_->kill_hard();
    server_.reset();
    start();
    if (server_->admin_key().empty())
      client_->default_headers(headers);
  }
  http_client& client() { return *client_; }
  const temp_dir& data() const { return data_; }
  const model& world() const { return m_; }
  bool diverged() const { return diverged_; }
  const std::map<std::string, int>& outcomes() const { return outcomes_; }
  const std::map<std::string, int>& tally() const { return tally_; }

  // Two projects, each with one phase, one milestone and a few tasks.
  void seed_world() {
    settle_digest();
    for (auto name : {"Property A", "Property B"}) {
      run(create_project_cmd(name));
      auto& p = m_.projects.back();
      run(create_phase_cmd(p.id, "Phase 1", 0));
      run(create_milestone_cmd(p.id, p.phases.back(), "Milestone 1", 0));
    }
    for (int i = 0; i < 6; ++i)
      run(create_task_cmd(m_.projects[size_t(i % 3 == 2)].id, valid_milestone(i % 3 == 2)));
    settle_digest();
  }

  // `n` random steps; a step is one command, or a short scenario of a few.
  void random_commands(int n) {
    for (int i = 0; i < n && !diverged_; ++i)
      next_step();
  }

  // Reads the digest the current log position gives; the start of the comparisons.
  void settle_digest() {
    auto d = get_digest(*client_);
    digest_ = str(d, "digest");
    checkpoint_ = d.at("checkpoint").to_number<uint64_t>();
  }

 private:
  // ---- running one command ----

  http_response send(const command& cmd, const header_list& headers = {}) {
    if (cmd.method == "GET")
      return client_->get(cmd.target, headers);
    if (cmd.raw_body)
      return client_->post_text(cmd.target, *cmd.raw_body, headers);
    return client_->post(cmd.target, cmd.body, headers);
  }

  void run(const command& cmd) {
    auto what = describe(cmd);
    // Some writes carry an Idempotency-Key, and are then sent twice.
    header_list headers;
    if (!cmd.read && !cmd.raw_body && chance(0.15))
      headers.push_back({"Idempotency-Key", "prop-" + std::to_string(seed_) + "-" +
                                              std::to_string(++keys_used_)});
    auto r = send(cmd, headers);
    ++outcomes_[cmd.method + " " + std::to_string(r.status) + " " + error_code(r)];

    // Every answer is a success or a client error with an envelope, never a server error.
    bool success = r.status >= 200 && r.status < 300;
    bool client_error = r.status >= 400 && r.status < 500;
    EXPECT_TRUE(success || client_error) << what << " -> " << r.status << " " << r.body;
    if (client_error) {
      EXPECT_FALSE(error_code(r).empty()) << what << " -> no error envelope: " << r.body;
      auto body = r.json();
      EXPECT_TRUE(body.at("error").at("message").is_string()) << what << " -> " << r.body;
    }

    if (cmd.read) {
      if (cmd.check)
        cmd.check(r);
      expect_log_moved(what, 0);
      return;
    }
    bool as_predicted = r.status == cmd.expect.status &&
                        (success || error_code(r) == cmd.expect.code);
    if (!as_predicted) {
      ADD_FAILURE() << "seed " << seed_ << ": " << what << "\n  expected " << cmd.expect.status
                    << " " << cmd.expect.code << "\n  got " << r.status << " " << r.body;
      // The model no longer knows the server's state; stop generating, keep the end checks.
      diverged_ = true;
      settle_digest();
      return;
    }
    int events = cmd.expect.events;
    if (success && cmd.apply)
      events += cmd.apply(r.json().as_object());
    ++tally_[success ? (cmd.expect.events ? "accepted" : "no-op") : "refused"];
    expect_log_moved(what, events);
    if (!headers.empty())
      expect_idempotent_repeat({cmd, headers, r}, what);
  }

 public:
  // Sends again, after the restart, writes that were acknowledged under an Idempotency-Key.
  void repeat_remembered() {
    for (auto& sent : remembered_)
      expect_idempotent_repeat(sent, "after the restart: " + describe(sent.cmd));
  }

 private:
  struct keyed_request {
    command cmd;
    header_list headers;
    http_response first;
  };

  // A repeat under the same key gets the first success again and writes nothing; a refused
  // request is not remembered, so its repeat is judged again, with the same outcome.
  void expect_idempotent_repeat(const keyed_request& sent, const std::string& what) {
    auto again = send(sent.cmd, sent.headers);
    ++tally_["idempotent repeats"];
    EXPECT_EQ(again.status, sent.first.status) << "seed " << seed_ << ": repeat of " << what
                                               << "\n  first: " << sent.first.body
                                               << "\n  again: " << again.body;
    bool success = sent.first.status >= 200 && sent.first.status < 300;
    if (success) {
      EXPECT_EQ(again.json(), sent.first.json()) << "seed " << seed_ << ": repeat of " << what;
      if (remembered_.size() < 25 && what.rfind("after the restart", 0) != 0)
        remembered_.push_back(sent);
    } else {
      EXPECT_EQ(error_code(again), error_code(sent.first)) << "seed " << seed_ << ": " << what;
    }
    expect_log_moved("repeat of " + what, 0);
  }

  // The log must have grown by exactly `events` (polling, bounded, for the ones the server
  // writes on its own), and the digest must have changed exactly when it did.
  void expect_log_moved(const std::string& what, int events) {
    auto want = checkpoint_ + uint64_t(events);
    json::object d;
    auto deadline = clock_type::now() + settle_deadline;
    for (;;) {
      d = get_digest(*client_);
      if (d.at("checkpoint").to_number<uint64_t>() >= want || clock_type::now() > deadline)
        break;
      std::this_thread::sleep_for(5ms);  // bounded polling for tasks_unlocked / lease_expired
    }
    auto checkpoint = d.at("checkpoint").to_number<uint64_t>();
    auto digest = str(d, "digest");
    EXPECT_EQ(checkpoint, want) << "seed " << seed_ << ": " << what
                                << "\n  the log moved by " << int64_t(checkpoint - checkpoint_)
                                << " events, the model expected " << events
                                << "\n  (the command before was " << last_what_ << ")";
    if (events == 0) {
      EXPECT_EQ(digest, digest_) << "seed " << seed_ << ": refused, read or no-op changed the "
                                 << "projections: " << what;
    } else {
      EXPECT_NE(digest, digest_) << "seed " << seed_ << ": accepted but projections unchanged: "
                                 << what;
    }
    digest_ = digest;
    checkpoint_ = checkpoint;
    last_what_ = what;
  }

  // ---- random choices ----

  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[rng_() % items.size()];
  }
  const m_project& main_project() { return m_.projects[0]; }
  const m_project& some_project() {
    return chance(0.8) ? m_.projects[0] : m_.projects[rng_() % m_.projects.size()];
  }
  std::string project_ref() { return chance(0.05) ? pick(bad_ids) : some_project().id; }
  std::string valid_milestone(bool second) {
    return m_.projects[second ? 1 : 0].milestones.back().id;
  }
  // A task id: mostly one matching `pred`, else any task, sometimes one that does not exist.
  template <class Pred>
  std::string task_ref(Pred pred) {
    if (chance(0.05) || m_.order.empty())
      return pick(bad_ids);
    std::vector<std::string> matching;
    for (auto& id : m_.order)
      if (pred(m_.tasks.at(id)))
        matching.push_back(id);
    if (!matching.empty() && chance(0.85))
      return pick(matching);
    return pick(m_.order);
  }
  std::string task_ref() {
    return task_ref([](const m_task&) { return true; });
  }
  // The project a command names for `task`: its own, mostly.
  std::string project_for(const std::string& task) {
    auto* t = m_.task(task);
    if (t && chance(0.9))
      return t->project;
    return project_ref();
  }
  std::vector<std::string> random_caps() {
    switch (rng_() % 5) {
      case 0: return {tags[0]};
      case 1: return {tags[1]};
      case 2: return {tags[0], tags[1]};
      default: return {};
    }
  }
  // A lease token for a write on `t`: the live one, an old one, another task's, or garbage.
  std::optional<std::string> token_for(const m_task* t) {
    auto roll = rng_() % 10;
    if (t && t->lease && roll < 5)
      return t->lease->token;
    if (t && !t->history.empty() && roll < 7)
      return pick(t->history).token;
    if (roll == 7 && !m_.order.empty()) {
      auto& other = m_.tasks.at(pick(m_.order));
      if (!other.history.empty())
        return pick(other.history).token;
    }
    if (roll == 8)
      return std::string("token-that-never-was");
    return std::nullopt;
  }
  // Sometimes a fencing counter as proof: the live one, the latest, an old or a future one.
  std::optional<uint64_t> fencing_for(const m_task* t) {
    if (!t || !chance(0.2))
      return std::nullopt;
    switch (rng_() % 4) {
      case 0: return t->lease ? t->lease->fencing : t->fencing;
      case 1: return t->fencing;
      case 2: return t->fencing > 0 ? t->fencing - 1 : 0;
      default: return t->fencing + 1;
    }
  }
  std::string writer_for(const m_task* t) {
    if (t && t->lease && chance(0.6))
      return t->lease->agent;
    if (t && !t->history.empty() && chance(0.3))
      return pick(t->history).agent;
    return pick(agents);
  }

  // ---- the command catalogue ----

  void next_step() {
    struct kind {
      int weight;
      std::function<command()> make;
    };
    if (chance(0.05))
      return drive_prerequisite();
    std::vector<kind> kinds{
      {1, [&] { return create_project_cmd(chance(0.8) ? "Property extra" : ""); }},
      {3, [&] { return random_phase_cmd(); }},
      {3, [&] { return random_milestone_cmd(); }},
      {9, [&] { return random_task_cmd(); }},
      {10, [&] { return random_edge_cmd(); }},
      {10, [&] { return random_claim_cmd(false); }},
      {3, [&] { return random_claim_cmd(true); }},
      {8, [&] { return random_claim_next_cmd(); }},
      {6, [&] { return random_heartbeat_cmd(); }},
      {5, [&] { return random_assign_cmd(); }},
      {3, [&] { return random_unassign_cmd(); }},
      {14, [&] { return work_transition_cmd(); }},
      {5, [&] { return random_transition_cmd(); }},
      {6, [&] { return review_transition_cmd(); }},
      {6, [&] { return random_artifact_cmd(); }},
      {3, [&] { return random_enqueue_cmd(); }},
      {3, [&] { return random_result_cmd(); }},
      {2, [&] { return malformed_cmd(); }},
      {4, [&] { return ready_list_read(); }},
      {2, [&] { return state_list_read(); }},
      {2, [&] { return other_read(); }},
    };
    int total = 0;
    for (auto& k : kinds)
      total += k.weight;
    int roll = int(rng_() % uint32_t(total));
    for (auto& k : kinds) {
      if (roll < k.weight)
        return run(k.make());
      roll -= k.weight;
    }
  }

  // A scenario: a fresh prerequisite P and dependent D; D cannot be claimed until an agent took
  // P to the edge's unlocking state, after which the server records the unlock on its own.
  void drive_prerequisite() {
    auto& p = main_project();
    auto milestone = p.milestones.front().id;
    auto project = p.id;
    auto unlock = chance(0.4) ? "integrated" : "implemented";
    auto count = m_.order.size();
    // A gate prerequisite cannot be integrated without a gate decision (none in this API).
    run(create_task_cmd(project, milestone, std::nullopt, chance(0.2) ? "review_gate" : "backend",
                        {}, 0));
    run(create_task_cmd(project, milestone, std::nullopt, "backend", {}, 0));
    if (diverged_ || m_.order.size() != count + 2)
      return;
    auto pre = m_.order[count], dependent = m_.order[count + 1];
    run(edge_cmd(project, pre, dependent, unlock));
    auto agent = pick(agents);
    run(claim_cmd(project, dependent, agent, std::nullopt, std::nullopt, std::nullopt, false));
    run(claim_cmd(project, pre, agent, std::nullopt, std::nullopt, std::nullopt, false));
    auto& t = m_.tasks.at(pre);
    for (auto to : {"in_progress", "implemented"})
      if (!diverged_ && t.lease)
        run(transition_cmd({t.id, project, to, agent, {}, {}, false, t.lease->token,
                            t.lease->fencing}));
    if (!diverged_ && (std::string(unlock) == "integrated" || chance(0.3)))
      run(transition_cmd({t.id, project, "integrated", "integrator", pick(reviewers),
                          {"review://scenario"}, false, std::nullopt, std::nullopt}));
    if (!diverged_)
      run(ready_list_read(project, agent, {}));
  }

  // -- hierarchy --

  command create_project_cmd(const std::string& name) {
    command c;
    c.target = "/v1/projects";
    c.body = json::object{{"name", name}};
    c.expect = name.empty() ? refuse("VALIDATION_ERROR") : accept(201);
    c.apply = [this](const json::object& o) {
      m_.projects.push_back(m_project{str(o, "id"), {}, {}, {}, {}});
      return 0;
    };
    return c;
  }

  command create_phase_cmd(const std::string& project, const std::string& name, int64_t seq) {
    command c;
    c.target = "/v1/projects/" + project + "/phases";
    c.body = json::object{{"name", name}, {"sequence", seq}};
    auto* p = m_.project(project);
    if (name.empty())
      c.expect = refuse("VALIDATION_ERROR");
    else if (!p)
      c.expect = refuse("PROJECT_NOT_FOUND");
    else if (seq < 0)
      c.expect = refuse("VALIDATION_ERROR");
    else if (p->phase_seqs.count(seq))
      c.expect = refuse("SEQUENCE_CONFLICT");
    else
      c.expect = accept(201);
    c.apply = [this, project, seq](const json::object& o) {
      auto* p = m_.project(project);
      p->phase_seqs.insert(seq);
      p->phases.push_back(str(o, "id"));
      return 0;
    };
    return c;
  }

  command random_phase_cmd() {
    auto project = project_ref();
    auto* p = m_.project(project);
    int64_t seq = chance(0.1) ? -1 : int64_t(rng_() % 8);
    if (p && chance(0.2) && !p->phase_seqs.empty())
      seq = *p->phase_seqs.begin();
    return create_phase_cmd(project, chance(0.05) ? "" : "Phase", seq);
  }

  command create_milestone_cmd(const std::string& project, std::optional<std::string> phase,
                               const std::string& name, int64_t seq) {
    command c;
    c.target = "/v1/projects/" + project + "/milestones";
    json::object body{{"name", name}, {"sequence", seq}};
    if (phase)
      body["phase_id"] = *phase;
    c.body = body;
    auto* p = m_.project(project);
    if (name.empty())
      c.expect = refuse("VALIDATION_ERROR");
    else if (!p)
      c.expect = refuse("PROJECT_NOT_FOUND");
    else if (!phase)
      c.expect = refuse("IDENTIFIER_PARENT_REQUIRED");
    else if (std::find(p->phases.begin(), p->phases.end(), *phase) == p->phases.end())
      c.expect = refuse("PHASE_NOT_FOUND");
    else if (seq < 0)
      c.expect = refuse("VALIDATION_ERROR");
    else if (p->milestone_seqs.count(seq))
      c.expect = refuse("SEQUENCE_CONFLICT");
    else
      c.expect = accept(201);
    c.apply = [this, project, phase, seq](const json::object& o) {
      auto* p = m_.project(project);
      p->milestone_seqs.insert(seq);
      p->milestones.push_back({str(o, "id"), *phase});
      EXPECT_EQ(str(o, "phase_id"), *phase);
      return 0;
    };
    return c;
  }

  command random_milestone_cmd() {
    auto project = project_ref();
    auto* p = m_.project(project);
    std::optional<std::string> phase;
    auto roll = rng_() % 10;
    if (p && !p->phases.empty() && roll < 7)
      phase = pick(p->phases);
    else if (roll < 9)
      phase = chance(0.5) ? pick(bad_ids) : pick(m_.projects[rng_() % 2].phases);
    int64_t seq = chance(0.1) ? -3 : int64_t(rng_() % 12);
    return create_milestone_cmd(project, phase, chance(0.05) ? "" : "Milestone", seq);
  }

  command create_task_cmd(const std::string& project, std::optional<std::string> milestone,
                          std::optional<std::string> phase = std::nullopt,
                          std::string klass = "backend", std::vector<std::string> task_tags = {},
                          int64_t priority = 100, bool bad_spec = false) {
    command c;
    c.target = "/v1/tasks";
    json::object body{{"project_id", project},
                      {"title", "Task " + std::to_string(m_.order.size() + 1)},
                      {"task_class", klass},
                      {"priority", priority},
                      {"capability_tags", json::array(task_tags.begin(), task_tags.end())},
                      {"work_spec", bad_spec ? json::object{{"objective", "o"}}
                                             : json::object{{"objective", "Do it"},
                                                            {"acceptance_criteria",
                                                             json::array{"done"}}}}};
    if (milestone)
      body["milestone_id"] = *milestone;
    if (phase)
      body["phase_id"] = *phase;
    c.body = body;
    auto* p = m_.project(project);
    const m_milestone* ms = nullptr;
    if (p && milestone)
      for (auto& candidate : p->milestones)
        if (candidate.id == *milestone)
          ms = &candidate;
    bool known_class = klass == "backend" || klass == "review_gate" || klass == "frontend";
    if (!known_class || bad_spec)
      c.expect = refuse("VALIDATION_ERROR");
    else if (!p)
      c.expect = refuse("PROJECT_NOT_FOUND");
    else if (!milestone)
      c.expect = refuse("IDENTIFIER_PARENT_REQUIRED");
    else if (!ms)
      c.expect = refuse("MILESTONE_NOT_FOUND");
    else if (phase && *phase != ms->phase)
      c.expect = refuse("PHASE_MILESTONE_MISMATCH");
    else
      c.expect = accept(201);
    c.apply = [this, project, klass, task_tags, priority](const json::object& o) {
      m_task t;
      t.id = str(o, "id");
      t.project = project;
      t.milestone = str(o, "milestone_id");
      t.phase = str(o, "phase_id");
      t.short_id = str(o, "short_id");
      t.klass = klass;
      t.tags = task_tags;
      t.priority = priority;
      t.order = int(m_.order.size());
      EXPECT_EQ(str(o, "state"), "ready");
      m_.order.push_back(t.id);
      m_.tasks.emplace(t.id, std::move(t));
      return 0;
    };
    return c;
  }

  command random_task_cmd() {
    auto& p = some_project();
    std::optional<std::string> milestone, phase;
    if (!p.milestones.empty())
      milestone = pick(p.milestones).id;
    std::string project = p.id;
    std::string klass = chance(0.12) ? "review_gate" : "backend";
    bool bad_spec = false;
    std::vector<std::string> task_tags;
    if (chance(0.3))
      task_tags.push_back(pick(tags));
    switch (rng_() % 12) {
      case 0: project = pick(bad_ids); break;
      case 1: milestone = pick(bad_ids); break;
      case 2:  // a milestone of the other seeded project
        milestone = m_.projects[p.id == m_.projects[0].id ? 1 : 0].milestones.back().id;
        break;
      case 3: milestone.reset(); break;
      case 4: klass = "code"; break;
      case 5: bad_spec = true; break;
      default: break;
    }
    if (chance(0.15) && !p.phases.empty())
      phase = pick(p.phases);
    return create_task_cmd(project, milestone, phase, klass, task_tags, int64_t(rng_() % 4),
                           bad_spec);
  }

  command random_edge_cmd() {
    auto& p = some_project();
    auto ids = m_.task_ids(p.id);
    std::string from = ids.empty() ? pick(bad_ids) : pick(ids);
    std::string to = ids.empty() ? pick(bad_ids) : pick(ids);
    std::string project = p.id;
    std::string unlock = chance(0.3) ? "integrated" : "implemented";
    switch (rng_() % 10) {
      case 0:  // a duplicate
        if (!m_.edges.empty()) {
          auto& e = pick(m_.edges);
          from = e.from;
          to = e.to;
          project = m_.tasks.at(e.from).project;
        }
        break;
      case 1:  // closes a cycle
        if (!m_.edges.empty()) {
          auto& e = pick(m_.edges);
          from = e.to;
          to = e.from;
          project = m_.tasks.at(e.from).project;
        }
        break;
      case 2: to = from; break;
      case 3: from = pick(bad_ids); break;
      case 4: to = pick(m_.order); break;  // maybe across projects
      case 5: project = pick(bad_ids); break;
      case 6: unlock = chance(0.5) ? "merged" : "integrated"; break;
      default: break;
    }
    return edge_cmd(project, from, to, unlock);
  }

  command edge_cmd(const std::string& project, const std::string& from, const std::string& to,
                   const std::string& unlock) {
    command c;
    c.target = "/v1/dependencies";
    c.body = json::object{
      {"project_id", project}, {"from_task_id", from}, {"to_task_id", to}, {"unlock_on", unlock}};
    auto* pf = m_.task(from);
    auto* pt = m_.task(to);
    bool project_known = m_.project(project) != nullptr;
    if (unlock != "implemented" && unlock != "integrated")
      c.expect = refuse("VALIDATION_ERROR");
    else if (from == to)
      c.expect = refuse("CYCLE_DETECTED");
    else if (!pf || !pt)
      c.expect = refuse("TASK_NOT_FOUND");
    else if (!project_known || pf->project != project || pt->project != project)
      c.expect = refuse("PROJECT_MISMATCH");
    else if (m_.edge_exists(from, to))
      c.expect = refuse("DEPENDENCY_EXISTS");
    else if (m_.closes_cycle(from, to))
      c.expect = refuse("CYCLE_DETECTED");
    else
      c.expect = accept(201);
    c.apply = [this, from, to, unlock](const json::object& o) {
      EXPECT_EQ(str(o, "unlock_on"), unlock);
      m_.edges.push_back({from, to, unlock});
      return 0;
    };
    return c;
  }

  // -- claims and leases --

  command claim_cmd(const std::string& project, const std::string& task, const std::string& agent,
                    std::optional<double> ttl, std::optional<std::vector<std::string>> caps,
                    std::optional<int64_t> seen, bool wait_for_expiry) {
    command c;
    c.target = "/v1/tasks/" + task + "/claim";
    json::object body{{"project_id", project}, {"agent_id", agent}};
    if (ttl)
      body["ttl_seconds"] = *ttl;
    if (caps)
      body["capabilities"] = json::array(caps->begin(), caps->end());
    if (seen)
      body["seen_plan_version"] = *seen;
    c.body = body;
    auto* t = m_.task(task);
    // TTL bounds are part of the input schema, checked before any rule.
    if (ttl && !ttl_ok(*ttl))
      c.expect = refuse("VALIDATION_ERROR");
    else if (seen && *seen < 1)
      c.expect = refuse("PLAN_STALE");
    else if (!t || t->project != project)
      c.expect = refuse("TASK_NOT_FOUND");
    else if (t->state != "ready" && t->state != "reserved")
      c.expect = refuse("TASK_NOT_CLAIMABLE");
    else if (t->lease)
      c.expect = refuse("LEASE_EXISTS");
    else if (t->reserved_for && *t->reserved_for != agent)
      c.expect = refuse("RESERVATION_CONFLICT");
    else if (caps && !model::caps_match(*t, *caps))
      c.expect = refuse("CAPABILITY_MISMATCH");
    else if (m_.unmet(*t) > 0)
      c.expect = refuse("DEPENDENCIES_UNMET");
    else
      c.expect = accept(200);
    c.apply = [this, task, agent, wait_for_expiry](const json::object& o) {
      auto& t = m_.tasks.at(task);
      record_claim(t, agent, o, !wait_for_expiry);
      if (!wait_for_expiry)
        return 0;
      if (!await_expiry(t))
        return 0;
      ++tally_["lease expiries"];
      return 1;
    };
    return c;
  }

  // `still_held`: false for a lease so short it may have expired before the answer was written.
  void record_claim(m_task& t, const std::string& agent, const json::object& o,
                    bool still_held = true) {
    auto& lease = o.at("lease").as_object();
    m_lease l{str(lease, "token"), str(lease, "agent_id"),
              lease.at("fencing_counter").to_number<uint64_t>()};
    EXPECT_EQ(str(o.at("task").as_object(), "id"), t.id);
    if (still_held) {
      EXPECT_EQ(str(o.at("task").as_object(), "state"), "claimed");
    }
    EXPECT_EQ(l.agent, agent);
    EXPECT_EQ(l.fencing, t.fencing + 1) << "fencing counters grow by one per claim";
    t.fencing = l.fencing;
    t.state = "claimed";
    t.lease = l;
    t.reserved_for.reset();
    t.lost_by.erase(agent);
    t.history.push_back(l);
  }

  // Polls (bounded) the task's timeline until its short lease expired; models the expiry.
  bool await_expiry(m_task& t) {
    auto fencing = t.lease->fencing;
    auto deadline = clock_type::now() + settle_deadline;
    while (clock_type::now() < deadline) {
      auto r = client_->get("/v1/tasks/" + t.id + "/events?project_id=" + t.project);
      auto items = expect_object(r, 200, "task events").at("items").as_array();
      for (auto& ev : items)
        if (ev.at("type") == "lease_expired" &&
            ev.at("payload").at("fencing_counter").to_number<uint64_t>() == fencing) {
          EXPECT_EQ(ev.at("payload").at("agent_id"), json::value(t.lease->agent));
          t.ended[t.lease->token] = "expired";
          t.lost_by[t.lease->agent] = "expired";
          t.lease.reset();
          t.state = "ready";
          return true;
        }
      std::this_thread::sleep_for(10ms);  // bounded polling for the lease timer
    }
    ADD_FAILURE() << "seed " << seed_ << ": the lease of " << t.id << " never expired";
    diverged_ = true;
    return false;
  }

  command random_claim_cmd(bool short_lease) {
    auto task = task_ref(claimable_state);
    auto* t = m_.task(task);
    auto agent = t && t->reserved_for && chance(0.6) ? *t->reserved_for : pick(agents);
    std::optional<double> ttl;
    if (short_lease)
      ttl = 0.05;
    else if (chance(0.1))
      ttl = chance(0.5) ? 0.001 : 100000.0;
    else if (chance(0.3))
      ttl = 600;
    std::optional<std::vector<std::string>> caps;
    if (chance(0.3))
      caps = random_caps();
    std::optional<int64_t> seen;
    if (chance(0.1))
      seen = chance(0.5) ? 0 : 1;
    return claim_cmd(project_for(task), task, agent, ttl, caps, seen, short_lease);
  }

  command random_claim_next_cmd() {
    auto project = chance(0.05) ? pick(bad_ids) : some_project().id;
    auto agent = pick(agents);
    auto caps = chance(0.4) ? random_caps() : std::vector<std::string>{};
    command c;
    c.target = "/v1/tasks/claim-next";
    json::object body{{"project_id", project}, {"agent_id", agent}};
    if (!caps.empty() || chance(0.2))
      body["capabilities"] = json::array(caps.begin(), caps.end());
    c.body = body;
    std::optional<std::string> next;
    if (!m_.project(project))
      c.expect = refuse("PROJECT_NOT_FOUND");
    else if (!(next = m_.next_for(project, agent, caps)))
      c.expect = refuse("NOTHING_CLAIMABLE");
    else
      c.expect = accept(200);
    c.apply = [this, next, agent](const json::object& o) {
      auto got = str(o.at("task").as_object(), "id");
      EXPECT_EQ(got, *next) << "claim-next picked another task than the best one";
      if (auto* t = m_.task(got))
        record_claim(*t, agent, o);
      return 0;
    };
    return c;
  }

  command random_heartbeat_cmd() {
    auto task = task_ref([](const m_task& t) { return t.lease.has_value(); });
    auto* t = m_.task(task);
    auto agent = writer_for(t);
    auto token = token_for(t).value_or("");
    auto project = project_for(task);
    std::optional<double> ttl;
    if (chance(0.2))
      ttl = chance(0.5) ? 0.001 : 120.0;
    std::optional<int64_t> seen;
    if (chance(0.1))
      seen = 0;
    command c;
    c.target = "/v1/tasks/" + task + "/heartbeat";
    json::object body{{"project_id", project}, {"agent_id", agent}, {"lease_token", token}};
    if (ttl)
      body["ttl_seconds"] = *ttl;
    if (seen)
      body["seen_plan_version"] = *seen;
    c.body = body;
    if (ttl && !ttl_ok(*ttl))
      c.expect = refuse("VALIDATION_ERROR");
    else if (seen)
      c.expect = refuse("PLAN_STALE");
    else if (!t || t->project != project)
      c.expect = refuse("LEASE_INVALID");
    else if (t->ended.count(token) && t->ended.at(token) != "released")
      c.expect = refuse("LEASE_FENCED");
    else if (!t->lease || t->lease->token != token || t->lease->agent != agent)
      c.expect = refuse("LEASE_INVALID");
    else
      c.expect = accept(200);
    c.apply = [](const json::object& o) {
      EXPECT_EQ(o.at("stale"), json::value(false));
      return 0;
    };
    return c;
  }

  command random_assign_cmd() {
    auto task = task_ref(claimable_state);
    auto* t = m_.task(task);
    auto project = project_for(task);
    auto assignee = pick(agents);
    std::optional<double> ttl;
    if (chance(0.1))
      ttl = 0.001;
    std::optional<std::vector<std::string>> caps;
    if (chance(0.3))
      caps = random_caps();
    command c;
    c.target = "/v1/tasks/" + task + "/assign";
    json::object body{{"project_id", project}, {"assignee_agent_id", assignee},
                      {"created_by", "operator"}};
    if (ttl)
      body["ttl_seconds"] = *ttl;
    if (caps)
      body["capabilities"] = json::array(caps->begin(), caps->end());
    c.body = body;
    if (ttl && !ttl_ok(*ttl))
      c.expect = refuse("VALIDATION_ERROR");
    else if (!t || t->project != project)
      c.expect = refuse("TASK_NOT_FOUND");
    else if (t->state != "ready" && t->state != "reserved")
      c.expect = refuse("TASK_NOT_ASSIGNABLE");
    else if (t->lease)
      c.expect = refuse("LEASE_EXISTS");
    else if (t->reserved_for)
      c.expect = refuse("RESERVATION_EXISTS");
    else if (caps && !model::caps_match(*t, *caps))
      c.expect = refuse("CAPABILITY_MISMATCH");
    else
      c.expect = accept(200);
    c.apply = [this, task, assignee](const json::object& o) {
      auto& t = m_.tasks.at(task);
      EXPECT_EQ(str(o, "assignee_agent_id"), assignee);
      EXPECT_EQ(str(o, "status"), "active");
      t.state = "reserved";
      t.reserved_for = assignee;
      return 0;
    };
    return c;
  }

  command random_unassign_cmd() {
    auto task = task_ref([](const m_task& t) { return t.reserved_for.has_value(); });
    auto* t = m_.task(task);
    auto project = project_for(task);
    command c;
    c.target = "/v1/tasks/" + task + "/unassign";
    c.body = json::object{{"project_id", project}};
    if (!t || t->project != project)
      c.expect = refuse("TASK_NOT_FOUND");
    else if (!t->reserved_for)
      c.expect = refuse("RESERVATION_NOT_FOUND");
    else
      c.expect = accept(200);
    c.apply = [this, task](const json::object& o) {
      auto& t = m_.tasks.at(task);
      EXPECT_EQ(str(o.at("task").as_object(), "state"), "ready");
      t.reserved_for.reset();
      if (t.state == "reserved")
        t.state = "ready";
      return 0;
    };
    return c;
  }

  // -- transitions --

  struct state_move {
    std::string task, project, to, actor;
    std::optional<std::string> reviewed_by;
    std::vector<std::string> evidence;
    bool force = false;
    std::optional<std::string> token;
    std::optional<uint64_t> fencing;
  };

  command transition_cmd(const state_move& mv) {
    command c;
    c.target = "/v1/tasks/" + mv.task + "/state";
    json::object body{{"project_id", mv.project}, {"new_state", mv.to}, {"actor_id", mv.actor},
                      {"reason", "property"}};
    if (mv.reviewed_by)
      body["reviewed_by"] = *mv.reviewed_by;
    if (!mv.evidence.empty())
      body["review_evidence_refs"] = json::array(mv.evidence.begin(), mv.evidence.end());
    if (mv.force)
      body["force"] = true;
    if (mv.token)
      body["lease_token"] = *mv.token;
    if (mv.fencing)
      body["fencing_counter"] = *mv.fencing;
    c.body = body;
    auto* t = m_.task(mv.task);
    bool known_state = std::find(all_states.begin(), all_states.end(), mv.to) != all_states.end();
    bool noop = false;
    if (!known_state) {
      c.expect = refuse("VALIDATION_ERROR");
    } else if (!t || t->project != mv.project) {
      c.expect = refuse("TASK_NOT_FOUND");
    } else if (mv.to == "claimed" || mv.to == "reserved") {
      c.expect = refuse("STATE_NOT_ALLOWED");
    } else if (mv.to == t->state) {
      c.expect = accept(200, 0);  // spec §6.4: same state, no event, no further checks
      noop = true;
    } else if (auto code = fenced(*t, mv.actor, mv.token, mv.fencing)) {
      c.expect = refuse(*code);
    } else if (!mv.force && !spec_transition_allowed(t->state, mv.to)) {
      c.expect = refuse("INVALID_STATE_TRANSITION");
    } else if (!mv.force && mv.to == "integrated") {
      auto reviewer = trim(mv.reviewed_by.value_or(""));
      bool evidence = std::any_of(mv.evidence.begin(), mv.evidence.end(),
                                  [](const std::string& e) { return !trim(e).empty(); });
      if (reviewer.empty())
        c.expect = refuse("REVIEW_REQUIRED_FOR_INTEGRATION");
      else if (!evidence)
        c.expect = refuse("REVIEW_EVIDENCE_REQUIRED");
      else if (reviewer == mv.actor || (t->implemented_by && reviewer == *t->implemented_by))
        c.expect = refuse("SELF_REVIEW_NOT_ALLOWED");
      else if (t->klass == "review_gate" || t->klass == "merge_gate")
        c.expect = refuse("GATE_DECISION_REQUIRED");
      else
        c.expect = accept(200);
    } else {
      c.expect = accept(200);
    }
    c.apply = [this, mv, noop](const json::object& o) {
      auto& t = m_.tasks.at(mv.task);
      EXPECT_EQ(str(o.at("task").as_object(), "state"), mv.to);
      if (noop)
        return 0;
      if (mv.to == "implemented")
        t.implemented_by = t.lease ? t.lease->agent : mv.actor;
      if (t.lease && !holds_lease(mv.to)) {
        t.ended[t.lease->token] = "released";
        t.lost_by[t.lease->agent] = "released";
        t.lease.reset();
      }
      t.reserved_for.reset();
      auto before = t.state;
      t.state = mv.to;
      bool unlocks = mv.to == "implemented" || mv.to == "integrated";
      if (unlocks && !m_.freed_by(t, before).empty()) {
        ++tally_["tasks_unlocked"];
        return 1;
      }
      return 0;
    };
    return c;
  }

  // The agent holding a task moves it along its lifecycle, mostly by the rules.
  command work_transition_cmd() {
    auto task = task_ref([](const m_task& t) {
      return t.lease.has_value() || t.state == "blocked" || t.state == "conflict";
    });
    auto* t = m_.task(task);
    state_move mv{task,  project_for(task), "in_progress", writer_for(t), {}, {}, false,
                  token_for(t), fencing_for(t)};
    using choices = std::vector<std::string>;
    if (t) {
      if (t->state == "claimed")
        mv.to = chance(0.8) ? "in_progress" : pick(choices{"blocked", "abandoned"});
      else if (t->state == "in_progress")
        mv.to = chance(0.8) ? "implemented" : pick(choices{"blocked", "cancelled"});
      else if (t->state == "blocked")
        mv.to = chance(0.7) ? "ready" : "in_progress";
      else if (t->state == "conflict")
        mv.to = "in_progress";
      else
        mv.to = pick(all_states);
    }
    return transition_cmd(mv);
  }

  command random_transition_cmd() {
    auto task = task_ref();
    auto* t = m_.task(task);
    state_move mv{task, project_for(task), pick(all_states), writer_for(t), {}, {}, chance(0.25),
                  token_for(t), fencing_for(t)};
    if (chance(0.05))
      mv.to = "done";
    if (chance(0.2))
      mv.actor = "operator";
    return transition_cmd(mv);
  }

  // Someone integrates an implemented task, with or without a proper review.
  command review_transition_cmd() {
    auto task = task_ref([](const m_task& t) { return t.state == "implemented"; });
    auto* t = m_.task(task);
    std::vector<std::string> evidence{"review://thread/" + std::to_string(rng_() % 100)};
    state_move mv{task,  project_for(task), "integrated", "integrator", pick(reviewers),
                  evidence, false, std::nullopt, std::nullopt};
    switch (rng_() % 8) {
      case 0: mv.reviewed_by.reset(); break;
      case 1: mv.reviewed_by = "  "; break;
      case 2: mv.evidence.clear(); break;
      case 3: mv.evidence = {" "}; break;
      case 4:
        if (t && t->implemented_by)
          mv.reviewed_by = *t->implemented_by;
        break;
      case 5: mv.reviewed_by = mv.actor; break;
      case 6: mv.to = "conflict"; break;
      default: break;
    }
    if (chance(0.05))
      mv.force = true;
    return transition_cmd(mv);
  }

  // -- artifacts and integration attempts --

  command random_artifact_cmd() {
    auto task = task_ref([](const m_task& t) { return t.lease.has_value(); });
    auto* t = m_.task(task);
    auto project = project_for(task);
    auto agent = writer_for(t);
    auto token = token_for(t);
    auto fencing = fencing_for(t);
    std::string status = chance(0.1) ? "green" : pick(std::vector<std::string>{"pending", "passed",
                                                                               "failed"});
    if (chance(0.05))
      agent = "";
    command c;
    c.target = "/v1/tasks/" + task + "/artifacts";
    json::object body{{"project_id", project},
                      {"agent_id", agent},
                      {"branch", "feature/" + std::to_string(rng_() % 10)},
                      {"commit_sha", "abc123"},
                      {"check_status", status},
                      {"touched_files", json::array{"src/a.cpp"}}};
    if (token)
      body["lease_token"] = *token;
    if (fencing)
      body["fencing_counter"] = *fencing;
    c.body = body;
    if (status == "green" || agent.empty())
      c.expect = refuse("VALIDATION_ERROR");
    else if (!m_.project(project))
      c.expect = refuse("PROJECT_NOT_FOUND");
    else if (!t)
      c.expect = refuse("TASK_NOT_FOUND");
    else if (t->project != project)
      c.expect = refuse("PROJECT_MISMATCH");
    else if (auto code = fenced(*t, agent, token, fencing))
      c.expect = refuse(*code);
    else
      c.expect = accept(201);
    c.apply = [agent, status](const json::object& o) {
      EXPECT_EQ(str(o, "agent_id"), agent);
      EXPECT_EQ(str(o, "check_status"), status);
      return 0;
    };
    return c;
  }

  command random_enqueue_cmd() {
    auto task = task_ref([](const m_task& t) { return t.state == "implemented"; });
    auto* t = m_.task(task);
    auto project = project_for(task);
    command c;
    c.target = "/v1/tasks/" + task + "/integration-attempts";
    c.body = json::object{{"project_id", project}, {"base_sha", "base"}, {"head_sha", "head"}};
    if (!m_.project(project))
      c.expect = refuse("PROJECT_NOT_FOUND");
    else if (!t)
      c.expect = refuse("TASK_NOT_FOUND");
    else if (t->project != project)
      c.expect = refuse("PROJECT_MISMATCH");
    else
      c.expect = accept(201);
    c.apply = [this, task](const json::object& o) {
      EXPECT_EQ(str(o, "result"), "queued");
      m_.attempts[str(o, "id")] = task;
      return 0;
    };
    return c;
  }

  command random_result_cmd() {
    std::string attempt = pick(bad_ids);
    std::string project = project_ref();
    if (!m_.attempts.empty() && chance(0.85)) {
      auto it = m_.attempts.begin();
      std::advance(it, rng_() % m_.attempts.size());
      attempt = it->first;
      if (chance(0.85))
        project = m_.tasks.at(it->second).project;
    }
    std::string result = chance(0.1) ? "merged"
                                     : pick(std::vector<std::string>{"success", "conflict",
                                                                     "failed_checks"});
    command c;
    c.target = "/v1/integration-attempts/" + attempt + "/result";
    c.body = json::object{{"project_id", project},
                          {"result", result},
                          {"diagnostics", json::object{{"run", int64_t(rng_() % 1000)}}}};
    auto it = m_.attempts.find(attempt);
    if (result == "merged")
      c.expect = refuse("VALIDATION_ERROR");
    else if (!m_.project(project))
      c.expect = refuse("PROJECT_NOT_FOUND");
    else if (it == m_.attempts.end())
      c.expect = refuse("INTEGRATION_ATTEMPT_NOT_FOUND");
    else if (m_.tasks.at(it->second).project != project)
      c.expect = refuse("PROJECT_MISMATCH");
    else
      c.expect = accept(200);
    c.apply = [result](const json::object& o) {
      EXPECT_EQ(str(o, "result"), result);
      return 0;
    };
    return c;
  }

  // Bodies that are not JSON, carry unknown fields or wrong types.
  command malformed_cmd() {
    auto task = task_ref();
    command c;
    c.target = pick(std::vector<std::string>{"/v1/tasks/" + task + "/claim",
                                             "/v1/tasks/" + task + "/state",
                                             "/v1/dependencies", "/v1/tasks/claim-next"});
    switch (rng_() % 3) {
      case 0: c.raw_body = "{\"project_id\": "; break;
      case 1:
        // Unknown fields are ignored; they never stand in for the required ones.
        c.body = json::object{{"surprise", true}, {"agent", "agent-a"}};
        break;
      default:
        c.body = json::object{{"project_id", 42}, {"agent_id", json::array{}}};
        break;
    }
    c.expect = refuse("VALIDATION_ERROR");
    return c;
  }

  // -- reads, checked against the model --

  command ready_list_read() {
    auto& p = some_project();
    auto agent = pick(agents);
    return ready_list_read(p.id, agent, chance(0.4) ? random_caps() : std::vector<std::string>{});
  }

  command ready_list_read(const std::string& project, const std::string& agent,
                          const std::vector<std::string>& caps) {
    command c;
    c.method = "GET";
    c.read = true;
    c.target = "/v1/tasks/ready?project_id=" + project + "&agent_id=" + agent;
    if (!caps.empty()) {
      c.target += "&capabilities=" + caps[0];
      for (size_t i = 1; i < caps.size(); ++i)
        c.target += "," + caps[i];
    }
    auto expected = m_.ready_list(project, agent, caps);
    auto target = c.target;
    c.check = [this, expected, target](const http_response& r) {
      ASSERT_EQ(r.status, 200) << target << ": " << r.body;
      std::vector<std::string> got;
      auto listed = r.json();
      for (auto& item : listed.at("items").as_array())
        got.emplace_back(item.at("id").as_string());
      EXPECT_EQ(got, expected) << "seed " << seed_ << ": " << target;
    };
    return c;
  }

  command state_list_read() {
    auto& p = some_project();
    auto state = pick(all_states);
    command c;
    c.method = "GET";
    c.read = true;
    c.target = "/v1/tasks?project_id=" + p.id + "&state=" + state + "&limit=1000";
    std::vector<std::string> expected;
    for (auto* t : m_.sorted(p.id, [&](const m_task& t) { return t.state == state; }))
      expected.push_back(t->id);
    auto target = c.target;
    c.check = [this, expected, target](const http_response& r) {
      ASSERT_EQ(r.status, 200) << target << ": " << r.body;
      std::vector<std::string> got;
      auto listed = r.json();
      for (auto& item : listed.at("items").as_array())
        got.emplace_back(item.at("id").as_string());
      EXPECT_EQ(got, expected) << "seed " << seed_ << ": " << target;
    };
    return c;
  }

  command other_read() {
    auto task = task_ref();
    auto project = project_for(task);
    command c;
    c.method = "GET";
    c.read = true;
    c.target = pick(std::vector<std::string>{
      "/v1/tasks/" + task + "/context?project_id=" + project + "&ancestor_depth=3",
      "/v1/tasks/" + task, "/v1/tasks/" + task + "/artifacts?project_id=" + project,
      "/v1/tasks/" + task + "/integration-attempts?project_id=" + project,
      "/v1/projects/" + project + "/graph?include_completed=false"});
    return c;
  }

  uint32_t seed_;
  std::mt19937 rng_;
  temp_dir data_;
  std::optional<server_process> server_;
  std::optional<http_client> client_;
  model m_;
  std::string digest_;
  uint64_t checkpoint_ = 0;
  std::string last_what_;  // for messages about events the server wrote on its own, late
  bool diverged_ = false;
  std::map<std::string, int> outcomes_;
  std::map<std::string, int> tally_;  // accepted, refused, no-op, and events the server wrote
  int keys_used_ = 0;
  std::vector<keyed_request> remembered_;  // acknowledged keyed writes, repeated after restart
};

// ---- end checks -------------------------------------------------------------------------------

// Every list and graph answer the server gives about the world, keyed by request target.
std::map<std::string, json::value> read_everything(http_client& c, const model& m) {
  std::vector<std::string> targets{"/v1/projects"};
  for (auto& p : m.projects) {
    for (auto suffix : {"", "/phases", "/milestones", "/graph", "/graph?include_completed=false"})
      targets.push_back("/v1/projects/" + p.id + suffix);
    targets.push_back("/v1/tasks?project_id=" + p.id + "&limit=1000");
    for (auto& agent : agents) {
      targets.push_back("/v1/tasks/ready?project_id=" + p.id + "&agent_id=" + agent);
      targets.push_back("/v1/tasks/ready?project_id=" + p.id + "&agent_id=" + agent +
                        "&capabilities=backend");
    }
  }
  for (auto& id : m.order) {
    auto& t = m.tasks.at(id);
    auto q = "?project_id=" + t.project;
    targets.push_back("/v1/tasks/" + id);
    for (auto sub : {"/artifacts", "/integration-attempts", "/execution-snapshots", "/events"})
      targets.push_back("/v1/tasks/" + id + sub + q);
    targets.push_back("/v1/tasks/" + id + "/context" + q + "&ancestor_depth=9&dependent_depth=9");
  }
  std::map<std::string, json::value> out;
  for (auto& target : targets) {
    auto r = c.get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    out[target] = r.status == 200 ? r.json() : json::value(r.status);
  }
  return out;
}

json::object replay(const std::string& verb, const temp_dir& data) {
  auto r = run_program(TASCADE_TOOL_PATH, {"replay", verb, "--data", data.str()});
  EXPECT_EQ(r.exit_code, 0) << verb << "\nstdout: " << r.out << "\nstderr: " << r.err;
  boost::system::error_code ec;
  auto v = json::parse(r.out, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "tascade replay " << verb << " printed no JSON object: " << r.out;
    return {};
  }
  return std::move(v.get_object());
}

void expect_replay_agrees(http_client& c, const temp_dir& data, const std::string& when) {
  SCOPED_TRACE(when);
  auto live = get_digest(c);
  auto verified = replay("verify", data);
  EXPECT_EQ(verified["ok"], json::value(true)) << json::serialize(verified);
  auto rebuilt = replay("rebuild", data);
  EXPECT_EQ(rebuilt["checkpoint"], live.at("checkpoint"));
  EXPECT_EQ(rebuilt["digest"], live.at("digest"));
}

class PropertyE2e : public ::testing::TestWithParam<uint32_t> {};

TEST_P(PropertyE2e, RandomCommandsKeepTheRulesAndSurviveRestart) {
  auto started = clock_type::now();
  property_run run(GetParam());
  run.start();
  run.seed_world();
  run.random_commands(commands_before_restart);

  // Leases are long (default 300 s) unless made short on purpose, and those were awaited, so
  // nothing writes on its own from here on.
  expect_replay_agrees(run.client(), run.data(), "before the restart");
  auto before = read_everything(run.client(), run.world());
  auto digest_before = get_digest(run.client());

  run.restart_after_sigkill();
  EXPECT_EQ(get_digest(run.client()), digest_before);
  auto after = read_everything(run.client(), run.world());
  EXPECT_EQ(after.size(), before.size());
  for (auto& [target, answer] : before) {
    auto it = after.find(target);
    ASSERT_NE(it, after.end()) << target;
    EXPECT_EQ(it->second, answer) << "answer changed across the restart: GET " << target;
  }
  expect_replay_agrees(run.client(), run.data(), "after the restart");
  // Keys given before the crash still return their first answer.
  run.settle_digest();
  run.repeat_remembered();

  // The restarted server keeps the same rules for the same history (fencing, reviews, ...).
  run.random_commands(commands_after_restart);
  expect_replay_agrees(run.client(), run.data(), "at the end");

  auto& m = run.world();
  std::map<std::string, int> states;
  for (auto& [id, t] : m.tasks)
    ++states[t.state];
  std::cout << "[ property ] seed " << GetParam() << ": " << m.tasks.size() << " tasks, "
            << m.edges.size() << " edges, " << m.attempts.size() << " attempts; "
            << before.size() << " reads compared across the restart; states:";
  for (auto& [s, n] : states)
    std::cout << " " << s << "=" << n;
  std::cout << ";";
  for (auto& [k, v] : run.tally())
    std::cout << " " << k << "=" << v;
  std::cout << "; answers:";
  for (auto& [k, v] : run.outcomes())
    std::cout << " [" << k << "]=" << v;
  std::cout << "; " << std::chrono::duration<double>(clock_type::now() - started).count()
            << " s\n";
  EXPECT_FALSE(run.diverged()) << "the model and the server disagreed (see above)";
}

INSTANTIATE_TEST_SUITE_P(Seeds, PropertyE2e, ::testing::Values(1u, 7u, 42u, 2024u, 31337u));

}  // namespace
}  // namespace tascade::test

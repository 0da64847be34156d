#include "tools/bench/log_generator.hpp"

#include "actors/commit.hpp"
#include "actors/project_rules.hpp"
#include "actors/project_state.hpp"
#include "actors/task_aggregate.hpp"
#include "actors/task_commands.hpp"
#include "actors/task_rules.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <random>
#include <set>
#include <stdexcept>

namespace tascade::bench {

namespace {

constexpr size_t batch_commands = 2000;

class writer {
 public:
  writer(event_log& log, const std::function<void(uint64_t)>& progress)
      : log_(log), progress_(progress) {}

  void add(std::vector<new_event> command) {
    events_ += command.size();
    pending_.push_back(std::move(command));
    if (pending_.size() >= batch_commands)
      flush();
  }
  void flush() {
    if (pending_.empty())
      return;
    auto results = log_.append(std::move(pending_));
    pending_.clear();
    for (auto& r : results)
      if (!r)
        throw std::runtime_error("append failed: " + message_of(r.error()));
    if (progress_)
      progress_(events_);
  }
  uint64_t events() const { return events_; }

 private:
  event_log& log_;
  const std::function<void(uint64_t)>& progress_;
  std::vector<std::vector<new_event>> pending_;
  uint64_t events_ = 0;
};

template <class Decided>
std::vector<events::event> accepted(Decided decided, const char* what) {
  if (!decided)
    throw std::runtime_error(std::string(what) + " refused: " + message_of(decided.error()));
  return std::move(*decided);
}

struct project_builder {
  project_state state;
  writer& out;
  command_meta meta{"bench", ""};

  template <class Command>
  std::vector<events::event> run(const Command& c, const char* what) {
    decide_context ctx{system_now(), uuid::random};
    std::vector<events::event> evs;
    if constexpr (std::is_same_v<Command, add_dependency>) {
      auto project = state.id;
      evs = accepted(decide(state, c, [project](const task_id&) { return std::optional(project); },
                            ctx), what);
    } else {
      evs = accepted(decide(state, c, ctx), what);
    }
    out.add(envelopes(project_stream(state.id.str()), state.version, evs, meta, ctx.now));
    for (auto& ev : evs)
      tascade::apply(state, ev);
    return evs;
  }
};

struct task_builder {
  task_aggregate state;
  writer& out;
  command_meta meta{"bench", ""};

  template <class Command>
  void run(const Command& c, const char* what) {
    task_context ctx;
    ctx.now = system_now();
    auto evs = accepted(decide(state, c, ctx), what);
    out.add(envelopes(task_stream(state.id.str()), state.version, evs, meta, ctx.now));
    for (auto& ev : evs)
      tascade::apply(state, ev);
  }
};

void complete_task(writer& out, const events::task_created& created, int heartbeats) {
  task_builder t{{}, out};
  tascade::apply(t.state, events::event{created});
  auto project = created.project.str(), task = created.id.str();
  std::string agent = "agent-" + std::to_string(created.number % 64);
  t.run(claim_task{t.meta, project, task, agent, std::nullopt, 3600.0, std::nullopt}, "claim");
  auto token = t.state.lease->token;
  for (int h = 0; h < heartbeats; ++h)
    t.run(heartbeat_task{t.meta, project, task, agent, token, std::nullopt, std::nullopt},
          "heartbeat");
  auto move = [&](task_state to, const std::string& actor) {
    transition_task c;
    c.meta = t.meta;
    c.project = project;
    c.task = task;
    c.to = to;
    c.actor = actor;
    c.reason = "bench";
    if (to == task_state::integrated) {
      c.reviewed_by = "reviewer";
      c.review_evidence_refs = {"review://bench/" + task};
    } else {
      c.proof.token = token;
    }
    t.run(c, "transition");
  };
  move(task_state::in_progress, agent);
  move(task_state::implemented, agent);
  move(task_state::integrated, "integrator");
}

}  // namespace

generated_log generate_log(event_log& log, const log_shape& shape,
                           const std::function<void(uint64_t)>& progress) {
  writer out(log, progress);
  generated_log result;
  std::mt19937 rng(11);
  for (int p = 0; p < shape.projects; ++p) {
    project_builder b{{}, out};
    b.state.id = project_id::random();
    b.run(create_project{b.meta, "bench " + std::to_string(p)}, "create project");
    auto project = b.state.id.str();
    auto phase = std::get<events::phase_created>(
      b.run(create_phase{b.meta, project, "P", 1}, "create phase").front());
    auto milestone = std::get<events::milestone_created>(
      b.run(create_milestone{b.meta, project, phase.id.str(), "M", 1}, "create milestone")
        .front());
    std::vector<events::task_created> created;
    for (int i = 0; i < shape.tasks_per_project; ++i) {
      create_task c;
      c.meta = b.meta;
      c.project = project;
      c.milestone = milestone.id.str();
      c.title = "bench task " + std::to_string(i);
      c.priority = i % 4;
      c.work_spec = boost::json::object{{"objective", "bench"},
                                        {"acceptance_criteria", boost::json::array{"done"}}};
      c.klass = task_class::backend;
      created.push_back(std::get<events::task_created>(b.run(c, "create task").front()));
      std::set<int> from;
      if (shape.chain > 0) {
        if (i >= shape.chain)
          from.insert(i - shape.chain);
      } else if (i > 0 && shape.deps > 0) {
        int wanted = int(rng() % uint32_t(shape.deps + 1));
        for (int k = 0; k < wanted; ++k)
          from.insert(i - 1 - int(rng() % uint32_t(std::min(i, shape.window))));
      }
      for (int f : from)
        b.run(add_dependency{b.meta, project, created[size_t(f)].id.str(), created.back().id.str(),
                             unlock_on::implemented},
              "add dependency");
    }
    for (int i = 0; i < std::min(shape.completed_per_project, shape.tasks_per_project); ++i)
      complete_task(out, created[size_t(i)], shape.heartbeats);
    result.projects.push_back(b.state.id);
    std::vector<task_id> ids;
    for (auto& c : created)
      ids.push_back(c.id);
    result.tasks.push_back(std::move(ids));
  }
  out.flush();
  result.events = out.events();
  return result;
}

}  // namespace tascade::bench

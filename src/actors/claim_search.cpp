#include "actors/claim_search.hpp"

#include "tascade/errc.hpp"

namespace tascade {

bool claims_asked::take(const task_id& id) {
  std::lock_guard lock(mutex_);
  return ids_.insert(id).second;
}

void claims_asked::release(const task_id& id) {
  std::lock_guard lock(mutex_);
  ids_.erase(id);
}

// Tries the candidates one after the other until a claim succeeds; when a window is used up
// (other agents took its tasks), fetches the next one without the tasks already tried, so
// NOTHING_CLAIMABLE means no untried claimable task was left. Tasks another search was asking
// for are tried last. The first refusal that is not about the task itself (a stale plan, a
// bad request) ends the search.
void try_claims(caf::event_based_actor* self, caf::actor registry,
                std::shared_ptr<claim_search> s, caf::typed_response_promise<command_done> rp) {
  task_id task;
  bool took = false;
  for (;;) {
    if (s->next == s->window.size()) {
      s->window = s->fetch(s->c, s->tried);
      s->next = 0;
      if (s->window.empty() && !s->passed_over.empty()) {
        s->window = std::exchange(s->passed_over, {});
        s->last_round = true;
      }
    }
    if (s->window.empty()) {
      rp.deliver(s->nothing_left());
      return self->quit();
    }
    task = s->window[s->next++];
    s->tried.insert(task);
    took = s->asked->take(task);
    if (took || s->last_round)
      break;
    s->passed_over.push_back(task);
  }
  auto& c = s->c;
  claim_task attempt{c.meta,        c.project,     task.str(),     c.agent,
                     c.seen_plan_version, c.ttl_seconds, c.capabilities, c.allow_conflict};
  auto done_asking = [s, task, took] {
    if (took)
      s->asked->release(task);
  };
  self->request(registry, caf::infinite, std::move(attempt))
    .then(
      [=](command_done& done) mutable {
        done_asking();
        rp.deliver(std::move(done));
        self->quit();
      },
      [=](caf::error& err) mutable {
        done_asking();
        if (err == errc::plan_stale || err == errc::validation_failed) {
          rp.deliver(std::move(err));
          return self->quit();
        }
        try_claims(self, registry, s, rp);
      });
}

// Claim-next's next window of candidates, in the order claim_candidates gives (the agent's
// reservations first, then priority and age), leaving out the tasks already tried. Without
// allow_conflict, tasks whose expected touches overlap a task another agent holds are left out
// too (a claim of them would be refused). An empty window means the ready set is exhausted.
std::vector<task_id> next_candidates(const facts& known, const project_id& project,
                                     const claim_next& c,
                                     const std::unordered_set<task_id>& tried) {
  constexpr size_t window = 16;
  bool skip_conflicts = !c.allow_conflict && known.touch_conflicts;
  for (size_t limit = tried.size() + window;; limit *= 4) {
    auto ready = known.claim_candidates(project, c.agent, c.capabilities, limit);
    std::vector<task_id> out;
    for (auto& id : ready) {
      if (out.size() == window)
        break;
      if (tried.count(id) || (skip_conflicts && !known.touch_conflicts(id, c.agent).empty()))
        continue;
      out.push_back(id);
    }
    if (out.size() == window || ready.size() < limit)
      return out;
  }
}

}  // namespace tascade

#pragma once
/// Claim-next's search (spec §5.3): walks the ready set in claim order, a window of candidates
/// at a time, and asks each candidate's task actor for the claim until one succeeds. It runs in
/// a worker actor the registry starts per request, so the registry never waits on it.

#include "actors/actor_deps.hpp"
#include "actors/task_commands.hpp"

#include <caf/all.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

namespace tascade {

/// The tasks claim-next searches are asking their actors for right now, shared by every search:
/// racing agents would otherwise all ask for the best task, and all but one would pay a round
/// trip to learn it is taken. A search passes over a task another search is asking for and
/// comes back to it only once nothing else is left.
class claims_asked {
 public:
  /// False when another search is asking for `id` already.
  bool take(const task_id& id);
  void release(const task_id& id);

 private:
  std::mutex mutex_;
  std::unordered_set<task_id> ids_;
};

/// One claim-next's walk over the ready set: the current window of candidates, every task tried
/// so far (refused because another agent took it or a claim of it is in flight), and how to
/// fetch the next window.
struct claim_search {
  claim_next c;
  std::shared_ptr<claims_asked> asked;
  std::vector<task_id> window;
  size_t next = 0;
  std::unordered_set<task_id> tried;
  std::vector<task_id> passed_over;  ///< being asked for by another search when reached
  bool last_round = false;           ///< asking the passed-over tasks, whoever else asks
  std::function<std::vector<task_id>(const claim_next&, const std::unordered_set<task_id>&)> fetch;
  std::function<caf::error()> nothing_left;
};

/// Claim-next's next window of candidates for `c`, leaving out the tasks already tried.
std::vector<task_id> next_candidates(const facts& known, const project_id& project,
                                     const claim_next& c,
                                     const std::unordered_set<task_id>& tried);

/// Runs search `s` in `self` (a worker actor): claims go through `registry`; `rp` receives the
/// claim or the search's end (NOTHING_CLAIMABLE, or the refusal that ended it).
void try_claims(caf::event_based_actor* self, caf::actor registry,
                std::shared_ptr<claim_search> s, caf::typed_response_promise<command_done> rp);

}  // namespace tascade

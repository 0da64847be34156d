#pragma once
/// The planner's tuning (spec §9.8 and the [PROPOSAL] additions), defaults as in the reference.

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace tascade::planner {

/// The weights of the CCS sum (spec §6.3); the reference fixes them, the port lets them be set.
struct ccs_weights {
  double dependency = 0.30;  ///< D
  double surface = 0.20;     ///< S
  double novelty = 0.20;     ///< N
  double ambiguity = 0.15;   ///< A
  double research = 0.15;    ///< R
};

/// How the winning DAG is chosen (spec §5): the reference's placeholders or the seeded UCB1 search.
enum class search_mode : uint8_t { parity, ucb1 };

struct planner_settings {
  long model_window = 200000;  ///< W, tokens
  double headroom_pct = 0.1;   ///< h, in [0.05, 0.10] for the service
  long budget_floor = 2000;    ///< F, tokens
  std::string default_model_class = "Class-200K";
  std::string optional_model_class = "Class-1M";  ///< empty means none
  ccs_weights weights;
  search_mode mode = search_mode::parity;
  double ucb1_c = std::sqrt(2.0);
  int search_max_iters = 128;
  long search_walltime_ms = 60000;
  size_t abort_if_nodes_gt = 10000;
  bool strict_ui_detection = false;  ///< Q3 opt-in: whole words from the Markdown text, negations
  bool link_scaffold_roots = false;  ///< Q10 opt-in: scaffold → BE roots when there are no schemas
  std::optional<uint64_t> seed;      ///< the search seed; default from the contract hash

  /// floor(W × (1 − h)) computed in double (spec §7.1).
  long capacity() const {
    return static_cast<long>(static_cast<double>(model_window) * (1.0 - headroom_pct));
  }
};

}  // namespace tascade::planner

#pragma once
/// Context cards (spec §8): the compact record of a finished task that later tasks read, made
/// offline (the deterministic summary; the optional LLM summary of §10.2 is not built).

#include "planner/plan_graph.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace tascade::planner {

struct context_card {
  std::string contract_slice_ref;    ///< contractOps joined by ",", or the contract hash
  boost::json::object interfaces;    ///< {"domain": …}
  boost::json::object schema_hashes; ///< {"contract": <hash>}
  std::string summary;
  std::vector<std::string> citations;
  std::vector<double> embedding;     ///< 256 dimensions, L2-normalised (empty summary: zeros)
};

/// `<title> (<domain>) covering <ops joined by ", ">`, cut to its first 512 code points.
std::string offline_card_summary(const plan_node& node);

/// The hashed bag of words of spec §8.3: lower-cased alphanumeric tokens, FNV-1a 64, bucket
/// `hash % 256`, sign from bit 63, L2-normalised.
std::vector<double> offline_embedding(std::string_view summary);

/// The card an executor callback records for `node` (spec §8.1).
context_card make_context_card(const plan_node& node, const std::string& contract_hash,
                               std::vector<std::string> citations);

/// Which cards a task reads (spec §8.3 [PROPOSAL]): `candidates` are the newest card of each
/// direct predecessor then the scaffold's, already in predecessor order, given by their summary.
/// Cards are taken while the running sum of `estimate_tokens(summary)` stays within 25% of
/// `budget_tokens`; the count taken and whether any were left out.
struct card_selection {
  size_t taken = 0;
  bool truncated = false;
};
card_selection select_context_cards(const std::vector<std::string>& summaries, long budget_tokens);

}  // namespace tascade::planner

#include "planner/context_card.hpp"

#include "planner/token_budget.hpp"

#include <cmath>

namespace tascade::planner {

std::string offline_card_summary(const plan_node& node) {
  std::string ops;
  for (size_t i = 0; i < node.contract_ops.size(); ++i) {
    if (i)
      ops += ", ";
    ops += node.contract_ops[i];
  }
  std::string text = node.title + " (" + node.domain + ") covering " + ops;
  // Python slices code points: count UTF-8 lead bytes.
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (points == 512)
        return text.substr(0, i);
      ++points;
    }
  }
  return text;
}

std::vector<double> offline_embedding(std::string_view summary) {
  std::vector<double> v(256, 0.0);
  std::string token;
  auto add = [&] {
    if (token.empty())
      return;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : token) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    v[h % 256] += (h >> 63) ? -1.0 : 1.0;
    token.clear();
  };
  for (char c : summary) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      token.push_back(c);
    else if (c >= 'A' && c <= 'Z')
      token.push_back(static_cast<char>(c - 'A' + 'a'));
    else
      add();
  }
  add();
  double norm = 0;
  for (double x : v)
    norm += x * x;
  if (norm > 0) {
    norm = std::sqrt(norm);
    for (double& x : v)
      x /= norm;
  }
  return v;
}

context_card make_context_card(const plan_node& node, const std::string& contract_hash,
                               std::vector<std::string> citations) {
  context_card card;
  for (size_t i = 0; i < node.contract_ops.size(); ++i) {
    if (i)
      card.contract_slice_ref += ',';
    card.contract_slice_ref += node.contract_ops[i];
  }
  if (card.contract_slice_ref.empty())
    card.contract_slice_ref = contract_hash;
  card.interfaces = {{"domain", node.domain}};
  card.schema_hashes = {{"contract", contract_hash}};
  card.summary = offline_card_summary(node);
  card.citations = std::move(citations);
  card.embedding = offline_embedding(card.summary);
  return card;
}

card_selection select_context_cards(const std::vector<std::string>& summaries,
                                    long budget_tokens) {
  card_selection out;
  long used = 0;
  // 25% of the budget, compared exactly: 4·used ≤ budget.
  for (auto& s : summaries) {
    long cost = estimate_tokens(s);
    if (4 * (used + cost) > budget_tokens) {
      out.truncated = true;
      break;
    }
    used += cost;
    ++out.taken;
  }
  return out;
}

}  // namespace tascade::planner

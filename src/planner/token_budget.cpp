#include "planner/token_budget.hpp"

#include "planner/prd.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace tascade::planner {

namespace {

using words_t = std::vector<std::string>;

std::vector<std::string> to_words(std::string_view text) {
  std::vector<std::string> out;
  for (auto w : py_split_words(text))
    out.emplace_back(w);
  return out;
}

std::string join_words(const words_t& w, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < w.size(); ++i) {
    if (i)
      out.push_back(' ');
    out += w[i];
  }
  return out;
}

template <class T>
std::vector<std::vector<T>> chunks(const std::vector<T>& items, size_t p) {
  std::vector<std::vector<T>> out(p);
  size_t base = items.size() / p, extra = items.size() % p, at = 0;
  for (size_t i = 0; i < p; ++i) {
    size_t len = base + (i < extra ? 1 : 0);
    out[i].assign(items.begin() + static_cast<long>(at),
                  items.begin() + static_cast<long>(at + len));
    at += len;
  }
  return out;
}

long payload(size_t words, size_t tasks, size_t crit, long floor) {
  return std::max(
    estimate_tokens_for_words(words) + 40 * static_cast<long>(tasks) + 20 * static_cast<long>(crit),
    floor);
}

// Step 1 of spec §7.4: the first part count whose even split fits, or nullopt.
std::optional<std::vector<plan_node>> even_split(const plan_node& node, long b0, long capacity,
                                                 long floor) {
  auto words = to_words(node.description);
  auto& tasks = node.tasks;
  auto& crit = node.acceptance_criteria;
  long req = std::max<long>(2, (b0 + capacity - 1) / capacity);
  long x = (!tasks.empty() || !crit.empty()) ? static_cast<long>(tasks.size() + crit.size()) : req;
  long y = !words.empty() ? static_cast<long>(words.size()) : req;
  long maxp = std::min<long>(128, std::max({2 * req, x, y}));
  words_t summary(words.begin(),
                  words.begin() + static_cast<long>(std::min<size_t>(words.size(), 40)));
  for (long p = req; p <= maxp; ++p) {
    auto pu = static_cast<size_t>(p);
    auto word_chunks = chunks(words, pu);
    auto task_chunks = chunks(tasks, pu);
    auto crit_chunks = chunks(crit, pu);
    std::vector<plan_node> parts;
    bool ok = true;
    for (size_t i = 0; i < pu && ok; ++i) {
      words_t cand = word_chunks[i].empty() ? summary : word_chunks[i];
      auto note = to_words("Subtask " + std::to_string(i + 1) + " of " + std::to_string(p) +
                           " continuing " + node.title + ".");
      cand.insert(cand.end(), note.begin(), note.end());
      long low = 0, high = static_cast<long>(cand.size()), best = -1;
      while (low <= high) {
        long mid = (low + high) / 2;
        if (payload(static_cast<size_t>(mid), task_chunks[i].size(), crit_chunks[i].size(),
                    floor) <= capacity) {
          best = mid;
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      if (best < 0)
        best = cand.empty() ? 0 : 1;
      plan_node part = node;
      part.title =
        node.title + " (part " + std::to_string(i + 1) + " of " + std::to_string(p) + ")";
      part.description = join_words(cand, static_cast<size_t>(best));
      part.tasks = task_chunks[i];
      part.acceptance_criteria = crit_chunks[i];
      part.part = static_cast<uint32_t>(i + 1);
      part.parts = static_cast<uint32_t>(p);
      if (node_budget(part, floor) > capacity)
        ok = false;
      parts.push_back(std::move(part));
    }
    if (ok)
      return parts;
  }
  return std::nullopt;
}

// Step 2 of spec §7.4: greedy parts; items that fit nowhere are dropped (quirk Q12, kept).
std::vector<plan_node> greedy_split(const plan_node& node, long capacity, long floor) {
  auto words = to_words(node.description);
  auto& tasks = node.tasks;
  auto& crit = node.acceptance_criteria;
  words_t summary(words.begin(),
                  words.begin() + static_cast<long>(std::min<size_t>(words.size(), 40)));
  size_t ti = 0, ci = 0, wi = 0;
  std::vector<plan_node> parts;
  for (uint32_t j = 1; ti < tasks.size() || ci < crit.size() || wi < words.size(); ++j) {
    std::vector<std::string> pt, pc;
    words_t pw;
    while (true) {
      bool changed = false;
      if (ti < tasks.size() && payload(pw.size(), pt.size() + 1, pc.size(), floor) <= capacity) {
        pt.push_back(tasks[ti++]);
        changed = true;
      }
      if (ci < crit.size() && payload(pw.size(), pt.size(), pc.size() + 1, floor) <= capacity) {
        pc.push_back(crit[ci++]);
        changed = true;
      }
      if (wi < words.size() && payload(pw.size() + 1, pt.size(), pc.size(), floor) <= capacity) {
        pw.push_back(words[wi++]);
        changed = true;
      }
      if (!changed)
        break;
    }
    if (pt.empty() && pc.empty() && pw.empty())
      break;
    words_t desc = pw.empty() ? summary : pw;
    auto note = to_words("Subtask " + std::to_string(j) + " of partition for " + node.title + ".");
    desc.insert(desc.end(), note.begin(), note.end());
    size_t m = desc.size();
    while (m > 0 && payload(m, pt.size(), pc.size(), floor) > capacity)
      --m;
    plan_node part = node;
    part.title = node.title + " (part " + std::to_string(j) + ")";
    part.description = join_words(desc, m);
    part.tasks = std::move(pt);
    part.acceptance_criteria = std::move(pc);
    part.part = j;
    parts.push_back(std::move(part));
  }
  for (auto& p : parts)
    p.parts = static_cast<uint32_t>(parts.size());
  return parts;
}

}  // namespace

long estimate_tokens_for_words(size_t words) {
  return std::max<long>(32, static_cast<long>((3 * words) / 2) + 128);
}

long estimate_tokens(std::string_view text) {
  return estimate_tokens_for_words(py_split_words(text).size());
}

long node_budget(const plan_node& node, long floor) {
  return payload(py_split_words(node.description).size(), node.tasks.size(),
                 node.acceptance_criteria.size(), floor);
}

budgeted_plan apply_budgets(plan_graph graph, const planner_settings& settings) {
  budgeted_plan out;
  out.capacity = settings.capacity();
  long floor = settings.budget_floor;
  out.parts_of.resize(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    auto& node = graph.nodes[i];
    long b0 = node_budget(node, floor);
    if (b0 <= out.capacity) {
      out.parts_of[i].push_back(out.graph.nodes.size());
      out.graph.nodes.push_back(std::move(node));
      out.budgets.push_back(b0);
      continue;
    }
    auto parts = even_split(node, b0, out.capacity, floor);
    bool capped_greedy = false;
    if (!parts) {
      parts = greedy_split(node, out.capacity, floor);
      capped_greedy = true;
    }
    if (parts->empty()) {
      // Automatic capping: the node stays whole, its budget cut to capacity.
      out.parts_of[i].push_back(out.graph.nodes.size());
      out.graph.nodes.push_back(std::move(node));
      out.budgets.push_back(std::min(b0, out.capacity));
      continue;
    }
    for (auto& part : *parts) {
      long b = node_budget(part, floor);
      out.parts_of[i].push_back(out.graph.nodes.size());
      out.budgets.push_back(capped_greedy ? std::min(b, out.capacity) : b);
      out.graph.nodes.push_back(std::move(part));
    }
  }
  out.graph.edges.reserve(graph.edges.size());
  for (auto& e : graph.edges)
    out.graph.edges.push_back(
      {out.parts_of[e.from].back(), out.parts_of[e.to].front(), std::move(e.description)});
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    auto& parts = out.parts_of[i];
    if (parts.size() < 2)
      continue;
    // The title before partitioning: the first part's title without its " (part …)" suffix.
    auto& title = out.graph.nodes[parts.front()].title;
    std::string original = title.substr(0, title.rfind(" (part "));
    for (size_t k = 0; k + 1 < parts.size(); ++k)
      out.graph.edges.push_back({parts[k], parts[k + 1], "Partition order for " + original});
  }
  for (size_t i = 0; i < out.budgets.size(); ++i)
    if (out.budgets[i] > out.capacity)
      out.violations.push_back(i);
  return out;
}

}  // namespace tascade::planner

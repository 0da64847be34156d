// The strict UI rule of prd.hpp, over the CommonMark structure that cmark parses.
#include "planner/prd.hpp"

#include <cmark.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace tascade::planner {

namespace {

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      cur.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty())
    out.push_back(std::move(cur));
  return out;
}

bool block_has_ui(const std::string& text) {
  static const std::set<std::string> keywords = {"ui",        "ux",   "screen",    "frontend",
                                                 "interface", "page", "dashboard", "button",
                                                 "form",      "view", "layout",    "wireframe"};
  static const std::set<std::string> negations = {"no", "not", "without", "headless"};
  bool ui = false;
  for (auto& w : words(text)) {
    if (negations.count(w))
      return false;
    if (keywords.count(w) ||
        (w.size() > 1 && w.back() == 's' && keywords.count(w.substr(0, w.size() - 1))))
      ui = true;
  }
  return ui;
}

}  // namespace

bool prd_has_ui_strict(std::string_view markdown) {
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(
    cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT), &cmark_node_free);
  if (!doc)
    return false;
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(doc.get()),
                                                             &cmark_iter_free);
  // Text is gathered per leaf block (paragraph or heading); a block is judged on its own words.
  std::string block;
  bool found = false;
  for (auto ev = cmark_iter_next(it.get()); ev != CMARK_EVENT_DONE;
       ev = cmark_iter_next(it.get())) {
    cmark_node* node = cmark_iter_get_node(it.get());
    auto type = cmark_node_get_type(node);
    if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING) {
      if (ev == CMARK_EVENT_ENTER) {
        block.clear();
      } else if (block_has_ui(block)) {
        found = true;
      }
      continue;
    }
    if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_TEXT) {
      if (const char* lit = cmark_node_get_literal(node)) {
        block += lit;
        block.push_back(' ');
      }
    } else if (ev == CMARK_EVENT_ENTER &&
               (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK)) {
      block.push_back(' ');
    }
  }
  return found;
}

}  // namespace tascade::planner

#pragma once
/// What the planner reads from a PRD (spec §2.1 and §3): headings, glossary entries, constraint
/// lines and whether it asks for a user interface.

#include <string>
#include <string_view>
#include <vector>

namespace tascade::planner {

struct prd_facts {
  std::vector<std::string> headings;
  std::vector<std::string> glossary;
  std::vector<std::string> constraints;
  bool has_ui = false;
};

/// The reference's line rules (spec §2.1): lines split on every Python line break, trimmed; a
/// line starting with "glossary" switches glossary mode on, `#` lines are headings (and switch it
/// off), lines with ':' in glossary mode are entries, "must"/"shall"/"should" substrings make
/// constraints, and the eight UI substrings set `has_ui` (spec §3, quirk Q3 kept).
prd_facts parse_prd(std::string_view text);

/// The opt-in strict UI rule (quirk Q3 resolution), read from the Markdown structure through
/// cmark: the words of headings, paragraphs, list items and table cells (never code blocks, code
/// spans, HTML or link targets) match whole words `ui`, `ux`, `screen`, `frontend`, `interface`,
/// `page`, `dashboard`, `button`, `form`, `view`, `layout`, `wireframe` (or their plural), and a
/// block that holds `no`, `not`, `without` or `headless` is ignored.
bool prd_has_ui_strict(std::string_view markdown);

/// Python's `str.splitlines()` line breaks: \n, \r\n, \r, \v, \f, \x1c–\x1e, U+0085, U+2028,
/// U+2029.
std::vector<std::string_view> split_python_lines(std::string_view text);

/// Python's `str.strip()` for ASCII whitespace and the Unicode spaces of UTF-8 text.
std::string_view py_strip(std::string_view s);

/// The byte length of the Python whitespace code point at `s[i]`, or 0 when `s[i]` starts none.
size_t py_space_at(std::string_view s, size_t i);

/// Python's `str.split()`: the words between runs of whitespace.
std::vector<std::string_view> py_split_words(std::string_view s);

/// ASCII lower case.
std::string ascii_lower(std::string_view s);

}  // namespace tascade::planner
